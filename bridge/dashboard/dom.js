// Building the page. Every piece of data goes in as text (textContent or a text node), never
// as markup, so a device name such as "<img src=x onerror=...>" is shown, not run.

// el('p', {class: 'x', 'data-id': id}, 'text', child, ...): attributes are set with
// setAttribute (never 'style' or on* handlers: the CSP forbids inline ones), children that
// are strings or numbers become text nodes, null/undefined/false children are skipped.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// A value from the API as display text: null -> an em dash, booleans as yes/no.
export function show(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (value === true) return 'yes';
  if (value === false) return 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// A table in a scrollable, focusable region (so a keyboard user can scroll it on a phone).
// columns: [{label, cell: (row) => Node|string}], rows: array.
export function table(caption, columns, rows, attrs) {
  const head = el('tr', {}, columns.map((c) => el('th', {scope: 'col'}, c.label)));
  const body = el('tbody', {}, rows.map((row) => el('tr', {}, columns.map((c) => el('td', {}, c.cell(row))))));
  const t = el('table', attrs || {}, el('caption', {}, caption), el('thead', {}, head), body);
  return el('div', {class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption}, t);
}

// A status shown by words and a shape, colour only on top of them.
export function badge(text, kind) {
  return el('span', {class: `badge badge-${kind}`}, text);
}

// The message for a screen reader's live region (and the visible notice when given one).
export function announce(text) {
  const region = document.getElementById('announce');
  if (region) region.textContent = text;
}

export function formatTime(value) {
  if (value === null || value === undefined || value === '') return '—';
  const d = typeof value === 'number' ? new Date(value) : new Date(String(value));
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC');
}
