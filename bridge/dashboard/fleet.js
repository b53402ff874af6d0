// Fleet: counts per product (GET /api/v1/fleet), the sync and stream states, and the device
// table, paged on the server (GET /api/v1/devices: name_prefix, product, group, status, sort).
import {get, query} from './api.js';
import {el, clear, show, table, badge, formatTime, announce} from './dom.js';
import {rememberName} from './names.js';

const PAGE_SIZE = 25;
// The filters survive a visit to a device page and back.
const filters = {name_prefix: '', product: '', group: '', status: '', sort: 'name'};

const STATUS_QUERY = {
  online: {connected: 'true', gone: 'false'},
  offline: {connected: 'false', gone: 'false'},
  faulted: {faulted: 'true'},
  gone: {gone: 'true'},
};

function deviceStatus(d) {
  const parts = [];
  if (d.Gone) parts.push(badge('gone', 'gone'));
  else parts.push(d.Connected ? badge('online', 'online') : badge('offline', 'offline'));
  if (d.Faulted) parts.push(' ', badge('faulted', 'faulted'));
  if (d.Enabled === false) parts.push(' ', badge('polling off', 'off'));
  return el('span', {}, parts);
}

function countsTable(fleet) {
  const rows = fleet.products.map((p) => ({...p, label: p.product_id === null ? 'Own devices (no product)' : `${p.name} (${p.product_id})`}));
  rows.push({...fleet.totals, label: 'All', product_id: 'all'});
  const num = (key) => (p) => el('span', {'data-count': key, 'data-product': p.product_id === null ? 'own' : p.product_id}, show(p[key]));
  return table('Devices per product', [
    {label: 'Product', cell: (p) => p.label},
    {label: 'Online', cell: num('online')},
    {label: 'Offline', cell: num('offline')},
    {label: 'Faulted', cell: num('faulted')},
    {label: 'Gone', cell: num('gone')},
    {label: 'Total', cell: num('total')},
  ], rows, {id: 'fleet-counts'});
}

function streamsTable(fleet) {
  return table('Event streams', [
    {label: 'Stream', cell: (s) => s.name},
    {label: 'State', cell: (s) => badge(s.state, s.state === 'connected' ? 'online' : s.state === 'stopped' ? 'offline' : 'pending')},
    {label: 'Last event', cell: (s) => formatTime(s.last_event_at)},
    {label: 'Events', cell: (s) => show(s.events)},
  ], fleet.streams, {id: 'fleet-streams'});
}

function filterForm(fleet, onChange) {
  const field = (id, label, control) => el('div', {class: 'field'}, el('label', {for: id}, label), control);
  const search = el('input', {id: 'f-search', type: 'search', value: filters.name_prefix, maxlength: 127, autocomplete: 'off'});
  const product = el('select', {id: 'f-product'},
    el('option', {value: ''}, 'Any product'),
    fleet.products.filter((p) => p.product_id !== null).map((p) => el('option', {value: p.product_id, selected: String(p.product_id) === filters.product}, `${p.name} (${p.product_id})`)));
  const group = el('input', {id: 'f-group', type: 'text', value: filters.group, maxlength: 63, pattern: '[A-Za-z0-9_-]*', autocomplete: 'off'});
  const status = el('select', {id: 'f-status'},
    ['', 'online', 'offline', 'faulted', 'gone'].map((s) => el('option', {value: s, selected: s === filters.status}, s || 'Any status')));
  const sort = el('select', {id: 'f-sort'},
    el('option', {value: 'name', selected: filters.sort === 'name'}, 'Name'),
    el('option', {value: 'last_heard', selected: filters.sort === 'last_heard'}, 'Last heard, newest first'));
  const form = el('form', {class: 'filters', role: 'search', 'aria-label': 'Device filters'},
    field('f-search', 'Name starts with', search),
    field('f-product', 'Product', product),
    field('f-group', 'Group', group),
    field('f-status', 'Status', status),
    field('f-sort', 'Sort by', sort),
    el('button', {type: 'submit'}, 'Apply'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    filters.name_prefix = search.value.trim();
    filters.product = product.value;
    filters.group = group.value.trim();
    filters.status = status.value;
    filters.sort = sort.value;
    onChange();
  });
  // Selects apply at once; text fields on Enter (the form's submit).
  for (const s of [product, status, sort]) s.addEventListener('change', () => form.requestSubmit());
  return form;
}

function devicesPath() {
  return '/api/v1/devices' + query({
    name_prefix: filters.name_prefix,
    product: filters.product,
    group: filters.group,
    sort: filters.sort === 'name' ? '' : filters.sort,
    limit: PAGE_SIZE,
    ...(STATUS_QUERY[filters.status] || {}),
  });
}

export async function renderFleet(root) {
  const fleet = await get('/api/v1/fleet');
  const list = el('section', {'aria-labelledby': 'devices-h'});
  root.append(
    el('h1', {}, 'Fleet'),
    el('section', {'aria-labelledby': 'counts-h'}, el('h2', {id: 'counts-h'}, 'Devices'), countsTable(fleet)),
    el('section', {'aria-labelledby': 'sync-h'},
      el('h2', {id: 'sync-h'}, 'Sync and streams'),
      el('p', {id: 'last-sync'}, 'Last sync: ', fleet.last_sync ? formatTime(fleet.last_sync) : 'not yet'),
      streamsTable(fleet)),
    list);

  // Pages already seen, so Previous goes back without a reverse cursor. Only the results are
  // redrawn: the filter form stays, and so does the keyboard focus in it.
  let pages = [devicesPath()];
  const results = el('div', {id: 'devices-results'});
  let latest = 0; // a slower earlier answer must not replace a newer one
  const load = async () => {
    const mine = ++latest;
    const path = pages[pages.length - 1];
    const page = await get(path);
    if (mine !== latest) return;
    for (const d of page.items) rememberName(d.ParticleDeviceId, d.Name);
    const rows = table('Devices', [
      {label: 'Name', cell: (d) => el('a', {href: `#/device/${d.ParticleDeviceId}`}, d.Name || d.ParticleDeviceId)},
      {label: 'Status', cell: deviceStatus},
      {label: 'Product', cell: (d) => show(d.ProductId)},
      {label: 'Device id', cell: (d) => el('code', {}, d.ParticleDeviceId)},
      {label: 'Check interval', cell: (d) => show(d.CheckInterval)},
      {label: 'Variables', cell: (d) => show(d.Variables)},
    ], page.items, {id: 'devices-table'});
    const prev = el('button', {type: 'button', disabled: pages.length === 1}, 'Previous page');
    const next = el('button', {type: 'button', disabled: !page.next}, 'Next page');
    prev.addEventListener('click', () => { pages.pop(); load(); });
    next.addEventListener('click', () => { pages.push(page.next); load(); });
    clear(results).append(
      page.items.length ? rows : el('p', {}, 'No device matches these filters.'),
      el('div', {class: 'pager'}, prev, el('span', {}, `Page ${pages.length}`), next));
    announce(`Device list page ${pages.length}, ${page.items.length} devices`);
  };
  list.append(
    el('h2', {id: 'devices-h'}, 'Device list'),
    filterForm(fleet, () => { pages = [devicesPath()]; load(); }),
    results);
  await load();
}
