// Reports: every report of GET /api/v1/reports/{name} as a table paged on the server
// (limit + the next cursor), with a link to the whole report as CSV.
import {get, query} from './api.js';
import {el, clear, show, table, announce} from './dom.js';

const PAGE_SIZE = 50;

// The reports of docs/BRIDGE.md ("GET /api/v1/reports/{name}"), with what each lists.
const REPORTS = [
  ['devices', 'Device information'],
  ['list-devices', 'Devices'],
  ['fleet-status', 'Fleet status per product'],
  ['variable-values', 'Latest variable values'],
  ['vitals-last', 'Last known vitals'],
  ['vitals-history', 'Vitals history'],
  ['sims', 'SIM information'],
  ['sim-cards', 'SIM cards'],
  ['cellular-status', 'Cellular network status'],
  ['data-usage', 'SIM data usage per product'],
  ['fleet-usage', 'Product data usage per day'],
  ['products', 'Products'],
  ['customers', 'Customers'],
  ['groups', 'Device groups'],
  ['product-devices', 'Devices in products'],
  ['product-firmware', 'Product firmware'],
  ['firmware-rollout', 'Firmware rollout'],
  ['device-firmware', 'Device firmware'],
];

export async function renderReports(root) {
  root.append(
    el('h1', {}, 'Reports'),
    el('p', {}, 'Each report is computed from the bridge\'s database. Open one to page through it or download it as CSV.'),
    el('ul', {class: 'report-list', id: 'report-list'}, REPORTS.map(([name, title]) =>
      el('li', {}, el('a', {href: `#/reports/${name}`}, title), ' ', el('code', {}, name), ' · ',
        el('a', {href: `/api/v1/reports/${name}?format=csv`, download: `${name}.csv`}, 'CSV')))));
}

export async function renderReport(root, name) {
  const known = REPORTS.find(([n]) => n === name);
  const title = known ? known[1] : name;
  const box = el('section', {'aria-live': 'polite', id: 'report'});
  root.append(
    el('h1', {}, `Report: ${title}`),
    el('p', {}, el('a', {href: '#/reports'}, 'All reports'), ' · ',
      el('a', {href: `/api/v1/reports/${encodeURIComponent(name)}?format=csv`, download: `${name}.csv`, id: 'report-csv'}, 'Download the whole report as CSV')),
    box);
  let pages = [`/api/v1/reports/${encodeURIComponent(name)}${query({limit: PAGE_SIZE})}`];
  let latest = 0; // a slower earlier answer must not replace a newer one
  const load = async () => {
    const mine = ++latest;
    const page = await get(pages[pages.length - 1]);
    if (mine !== latest) return;
    const items = page.items;
    // Columns in the report's order (the first row's keys; every row has the same ones).
    const keys = items.length ? Object.keys(items[0]) : [];
    const prev = el('button', {type: 'button', disabled: pages.length === 1}, 'Previous page');
    const next = el('button', {type: 'button', disabled: !page.next}, 'Next page');
    prev.addEventListener('click', () => { pages.pop(); load(); });
    next.addEventListener('click', () => { pages.push(page.next); load(); });
    clear(box).append(
      items.length
        ? table(`${title}, page ${pages.length}`, keys.map((k) => ({label: k, cell: (row) => show(row[k])})), items, {id: 'report-table'})
        : el('p', {}, 'This report has no rows.'),
      el('div', {class: 'pager'}, prev, el('span', {}, `Page ${pages.length}`), next));
    box.dataset.rows = String(items.length);
    announce(`${title}: page ${pages.length}, ${items.length} rows`);
  };
  await load();
}
