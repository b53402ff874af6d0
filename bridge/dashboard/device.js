// Device: its details (the DTO), one chart per measurement name over a chosen range (the
// readings route's bucket parameter: min/max/avg per interval, computed in SQL, about 750
// buckets whatever the range), the online/offline timeline, the latest status posts and
// events (live, from /api/v1/stream), vitals and SIM usage charts, and the circuit breaker.
import {get, request, query, all, session} from './api.js';
import {el, clear, show, table, badge, formatTime, announce} from './dom.js';
import {lineChart} from './charts.js';
import {deviceName, rememberName} from './names.js';

const RANGES = {hour: 3600e3, day: 86400e3, week: 7 * 86400e3, year: 365 * 86400e3};
const TARGET_BUCKETS = 750;
const LATEST_ROWS = 20;
const RECENT_READINGS = 1000;
const NUMERIC_TYPES = new Set(['int32', 'double', 'bool']); // the cloud's variable types that are readings

// The bucket for a span: whole seconds, so the API's duration parser takes it ("42s").
function bucketFor(spanMs) {
  return `${Math.max(1, Math.ceil(spanMs / 1000 / TARGET_BUCKETS))}s`;
}

const iso = (ms) => new Date(ms).toISOString();

function details(dto, name) {
  const item = (term, value, id) => [el('dt', {}, term), el('dd', id ? {id} : {}, value)];
  return el('dl', {class: 'details', id: 'device-details'},
    item('Name', name || '—'),
    item('Device id', el('code', {}, dto.ParticleDeviceId)),
    item('Connection', dto.Connected ? badge('online', 'online') : badge('offline', 'offline'), 'device-connected'),
    item('Polling', dto.Enabled ? 'enabled' : 'disabled'),
    item('Check interval', show(dto.CheckInterval)),
    item('Last app', show(dto.LastApp)),
    item('Added', formatTime(dto.DateAdded)),
    item('Unknown events as measurements', show(dto.PublishUnknownEventsAsMeasurements)),
    item('Unknown events as status posts', show(dto.PublishUnknownEventsAsStatusPosts)),
    item('Functions', dto.Functions.length ? dto.Functions.map((f) => f.Name).join(', ') : '—'));
}

function variablesTable(dto) {
  return table('Variables', [
    {label: 'Name', cell: (v) => v.Name},
    {label: 'Type', cell: (v) => show(v.Type)},
    {label: 'Polled', cell: (v) => (v.Enabled ? 'yes' : 'no')},
    {label: 'Interval', cell: (v) => (v.CheckInterval === '00:00:00' ? 'device\'s' : v.CheckInterval)},
    {label: 'Unit', cell: (v) => show(v.Unit)},
  ], dto.Variables, {id: 'device-variables'});
}

// note: what the last reset said (the section is drawn again with the device's new state).
function breakerSection(dto, onReset, note) {
  const state = dto.Faulted
    ? el('p', {id: 'breaker-state'}, badge('open', 'faulted'), ` The breaker is open after ${dto.FaultCount} failures in a row; the bridge leaves the device alone until ${formatTime(dto.CircuitBreakerResetAt)}.`)
    : el('p', {id: 'breaker-state'}, badge('closed', 'online'), ` The breaker is closed (${dto.FaultCount} recent failures).`);
  const button = el('button', {type: 'button', id: 'breaker-reset', disabled: session.readOnly || !dto.Faulted,
    'aria-describedby': session.readOnly ? 'breaker-ro' : null}, 'Reset the breaker');
  const readOnly = session.readOnly ? el('p', {id: 'breaker-ro', class: 'note'}, 'Read-only key: resetting the breaker needs the full API key.') : null;
  const result = el('p', {role: 'status', class: 'note', id: 'breaker-result', tabindex: -1}, note || '');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const updated = await request('POST', `/api/v1/devices/${encodeURIComponent(dto.ParticleDeviceId)}/breaker/reset`);
      onReset(updated, 'The breaker is reset.');
    } catch (e) {
      result.textContent = `Not reset: ${e.message}`;
      button.disabled = false;
    }
  });
  return el('section', {'aria-labelledby': 'breaker-h', id: 'breaker'}, el('h2', {id: 'breaker-h'}, 'Circuit breaker'), state, button, readOnly, result);
}

function rangeForm(current, custom, onChange) {
  const select = el('select', {id: 'range'},
    [['hour', 'Last hour'], ['day', 'Last day'], ['week', 'Last week'], ['year', 'Last year'], ['custom', 'Custom range']]
      .map(([v, label]) => el('option', {value: v, selected: v === current}, label)));
  const local = (ms) => new Date(ms - new Date(ms).getTimezoneOffset() * 60e3).toISOString().slice(0, 16);
  const from = el('input', {id: 'range-from', type: 'datetime-local', value: local(custom.from)});
  const to = el('input', {id: 'range-to', type: 'datetime-local', value: local(custom.to)});
  const customBox = el('div', {class: 'custom-range', hidden: current !== 'custom'},
    el('div', {class: 'field'}, el('label', {for: 'range-from'}, 'From (local time)'), from),
    el('div', {class: 'field'}, el('label', {for: 'range-to'}, 'To (local time)'), to));
  const error = el('p', {class: 'field-error', role: 'alert'});
  const form = el('form', {class: 'filters', 'aria-label': 'Chart range'},
    el('div', {class: 'field'}, el('label', {for: 'range'}, 'Range'), select), customBox,
    el('button', {type: 'submit'}, 'Show'), error);
  select.addEventListener('change', () => {
    customBox.hidden = select.value !== 'custom';
    if (select.value !== 'custom') form.requestSubmit();
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.textContent = '';
    if (select.value !== 'custom') return onChange(select.value, null);
    const span = {from: new Date(from.value).getTime(), to: new Date(to.value).getTime()};
    if (!(span.from < span.to)) {
      error.textContent = 'Choose a start before the end.';
      return undefined;
    }
    return onChange('custom', span);
  });
  return form;
}

// The names to chart: the device's numeric variables, the names of its latest polled values
// (variable-values) and those of its newest readings (events become readings too).
async function measurementNames(id, dto) {
  const names = new Set(dto.Variables.filter((v) => NUMERIC_TYPES.has(v.Type)).map((v) => v.Name));
  const [latest, recent] = await Promise.all([
    get(`/api/v1/reports/variable-values${query({device: id, limit: 1000})}`),
    get(`/api/v1/measurements${query({device: id, sort: '-time', limit: RECENT_READINGS})}`),
  ]);
  for (const row of latest.items) {
    names.add(row.Variable);
    rememberName(id, row.DeviceName);
  }
  for (const row of recent.items) names.add(row.Name);
  return [...names].sort();
}

async function measurementChart(id, name, span) {
  const path = `/api/v1/measurements${query({device: id, name, from: iso(span.from), to: iso(span.to), bucket: bucketFor(span.to - span.from)})}`;
  const items = await all(path, 20000);
  const at = (it) => new Date(it.t).getTime();
  const made = lineChart(name, [
    {label: 'average', points: items.map((it) => ({x: at(it), y: it.avg})), width: 2},
    {label: 'minimum', points: items.map((it) => ({x: at(it), y: it.min})), dashed: true, width: 1},
    {label: 'maximum', points: items.map((it) => ({x: at(it), y: it.max})), dashed: true, width: 1},
  ], {from: span.from, to: span.to});
  made.figure.dataset.measurement = name;
  made.figure.dataset.points = String(items.length);
  made.figure.dataset.source = path;
  if (!items.length) made.figure.appendChild(el('p', {class: 'note'}, 'No readings in this range.'));
  return made;
}

async function timeline(id, span, dto) {
  const rows = await all(`/api/v1/connectivity${query({device: id, from: iso(span.from), to: iso(span.to), sort: 'time', limit: 10000})}`, 10000);
  // The state before the first change in the range is the opposite of that change.
  const points = [];
  if (rows.length) points.push({x: span.from, y: rows[0].Online ? 0 : 1});
  for (const r of rows) points.push({x: new Date(r.Date).getTime(), y: r.Online ? 1 : 0});
  points.push({x: span.to, y: rows.length ? (rows[rows.length - 1].Online ? 1 : 0) : (dto.Connected ? 1 : 0)});
  const made = lineChart('Online (1) or offline (0)', [{label: 'online', points, stepped: true}],
    {from: span.from, to: span.to, y: {min: -0.1, max: 1.1, ticks: {stepSize: 1, callback: (v) => (v === 1 ? 'online' : v === 0 ? 'offline' : '')}}});
  const recent = rows.slice(-LATEST_ROWS).reverse();
  const list = recent.length
    ? table('Latest changes', [
      {label: 'Time', cell: (r) => formatTime(r.Date)},
      {label: 'State', cell: (r) => (r.Online ? badge('online', 'online') : badge('offline', 'offline'))},
      {label: 'Seen by', cell: (r) => show(r.Source)},
    ], recent, {id: 'connectivity-table'})
    : el('p', {}, 'No change in this range.');
  return {made, list};
}

function eventRow(e) {
  return {
    name: e.Name ?? e.name,
    data: e.Data ?? e.data,
    at: e.PublishedAt ?? e.published_at,
  };
}

const eventColumns = [
  {label: 'Published', cell: (e) => formatTime(e.at)},
  {label: 'Name', cell: (e) => e.name},
  {label: 'Data', cell: (e) => el('code', {class: 'data'}, show(e.data))},
];

const postColumns = [
  {label: 'Time', cell: (p) => formatTime(p.Date)},
  {label: 'Kind', cell: (p) => show(p.Kind)},
  {label: 'Name', cell: (p) => show(p.Name)},
  {label: 'Message', cell: (p) => show(p.Message)},
];

function prependRow(tableWrap, columns, row) {
  const body = tableWrap.querySelector('tbody');
  body.insertBefore(el('tr', {class: 'fresh'}, columns.map((c) => el('td', {}, c.cell(row)))), body.firstChild);
  while (body.rows.length > LATEST_ROWS * 2) body.deleteRow(body.rows.length - 1);
}

async function vitalsCharts(id, span, dto) {
  const out = [];
  let vitals = [];
  try {
    vitals = await all(`/api/v1/reports/vitals-history${query({device: id, from: iso(span.from), to: iso(span.to), limit: 1000})}`, 1000);
  } catch {
    vitals = [];
  }
  const fields = [['SignalStrength', 'signal strength %'], ['SignalQuality', 'signal quality %'], ['BatteryCharge', 'battery %']];
  const series = fields.map(([key, label]) => ({
    label,
    points: vitals.filter((v) => typeof v[key] === 'number').map((v) => ({x: new Date(v.UpdatedAt).getTime(), y: v[key]})),
  })).filter((s) => s.points.length);
  if (series.length) out.push(lineChart('Vitals', series, {from: span.from, to: span.to, y: {min: 0, max: 100}}));
  const usage = dto.Sim && Array.isArray(dto.Sim.Usage) ? dto.Sim.Usage : [];
  if (usage.length) {
    out.push(lineChart('SIM data usage this billing period (MB)', [
      {label: 'cumulative MB', points: usage.map((u) => ({x: new Date(u.Date).getTime(), y: u.CumulativeUsageMb}))},
      {label: 'MB per day', points: usage.map((u) => ({x: new Date(u.Date).getTime(), y: u.UsedMb})), stepped: true},
    ], {}));
  }
  return out;
}

export async function renderDevice(root, id, rangeName) {
  const enc = encodeURIComponent(id);
  let dto = await get(`/api/v1/devices/${enc}/particle`);
  const names = await measurementNames(id, dto);
  const name = deviceName(id);
  let charts = [];
  let range = rangeName && RANGES[rangeName] ? rangeName : 'day';
  let custom = {from: Date.now() - RANGES.day, to: Date.now()};

  const detailsBox = el('div', {});
  const breakerBox = el('div', {});
  const showDto = (note) => {
    clear(detailsBox).append(details(dto, name), variablesTable(dto));
    clear(breakerBox).appendChild(breakerSection(dto, (updated, said) => {
      dto = updated;
      showDto(said);
      // The button is gone with the old section: the focus goes to what happened.
      document.getElementById('breaker-result').focus();
    }, note));
  };
  showDto();

  const chartsBox = el('div', {class: 'charts', id: 'measurement-charts'});
  const timelineBox = el('div', {id: 'timeline'});
  const vitalsBox = el('div', {class: 'charts', id: 'vitals-charts'});
  const liveState = el('p', {id: 'live-state', class: 'note', role: 'status'}, 'Live updates: connecting…');

  const [posts, events] = await Promise.all([
    get(`/api/v1/status-posts${query({device: id, sort: '-time', limit: LATEST_ROWS})}`),
    get(`/api/v1/events${query({device: id, sort: '-time', limit: LATEST_ROWS})}`),
  ]);
  const postsTable = table('Latest status posts', postColumns, posts.items, {id: 'status-posts'});
  const eventsTable = table('Latest events (live)', eventColumns, events.items.map(eventRow), {id: 'events'});

  const destroyCharts = () => {
    for (const c of charts) if (c) c.destroy();
    charts = [];
  };
  let drawing = 0; // a newer range wins over a slower earlier one
  const draw = async () => {
    const mine = ++drawing;
    delete document.body.dataset.chartsReady;
    delete document.body.dataset.chartsReadyMs;
    destroyCharts();
    const span = range === 'custom' ? custom : {from: Date.now() - RANGES[range], to: Date.now()};
    clear(chartsBox).appendChild(el('p', {}, 'Loading charts…'));
    const [made, tl, vitals] = await Promise.all([
      Promise.all(names.map((n) => measurementChart(id, n, span))),
      timeline(id, span, dto),
      vitalsCharts(id, span, dto),
    ]);
    if (mine !== drawing) return;
    clear(chartsBox);
    if (!made.length) chartsBox.appendChild(el('p', {}, 'This device has no numeric readings.'));
    for (const m of made) chartsBox.appendChild(m.figure);
    clear(timelineBox).append(tl.made.figure, tl.list);
    clear(vitalsBox);
    if (!vitals.length) vitalsBox.appendChild(el('p', {}, 'No vitals or SIM usage for this device.'));
    for (const v of vitals) vitalsBox.appendChild(v.figure);
    charts = [...made, tl.made, ...vitals].map((m) => m.render());
    // Charts are drawn in their constructor (animation off); the next frame has them on screen.
    requestAnimationFrame(() => {
      // Milliseconds since the navigation began (the bench's dashboard_device_page_ms).
      document.body.dataset.chartsReadyMs = String(Math.round(performance.now()));
      document.body.dataset.chartsReady = String(made.length);
      announce(`${made.length} charts drawn`);
    });
  };

  root.append(
    el('h1', {}, name ? `Device ${name}` : `Device ${id}`),
    el('p', {}, el('a', {href: `#/settings/${enc}`}, 'Edit settings'), ' · ', el('a', {href: '#/fleet'}, 'Back to the fleet')),
    el('section', {'aria-labelledby': 'details-h'}, el('h2', {id: 'details-h'}, 'Details'), detailsBox),
    breakerBox,
    el('section', {'aria-labelledby': 'charts-h'}, el('h2', {id: 'charts-h'}, 'Readings'),
      rangeForm(range, custom, (r, span) => {
        range = r;
        if (span) custom = span;
        draw();
      }), chartsBox),
    el('section', {'aria-labelledby': 'timeline-h'}, el('h2', {id: 'timeline-h'}, 'Online and offline'), timelineBox),
    el('section', {'aria-labelledby': 'events-h'}, el('h2', {id: 'events-h'}, 'Events'), liveState, eventsTable),
    el('section', {'aria-labelledby': 'posts-h'}, el('h2', {id: 'posts-h'}, 'Status posts'), postsTable),
    el('section', {'aria-labelledby': 'vitals-h'}, el('h2', {id: 'vitals-h'}, 'Vitals and SIM usage'), vitalsBox));

  // Live: the bridge sends what it has stored (session cookie; same origin). Opened after the
  // window's load event: Chromium counts an event stream opened before it as still loading,
  // and the tab would show a spinner for as long as the page is open.
  let stream = null;
  const follow = () => {
    stream = new EventSource(`/api/v1/stream${query({device: id, kinds: 'event,status,connectivity'})}`);
    stream.addEventListener('open', () => { liveState.textContent = 'Live updates: on'; });
    stream.addEventListener('error', () => { liveState.textContent = 'Live updates: reconnecting…'; });
    stream.addEventListener('event', (m) => prependRow(eventsTable, eventColumns, eventRow(JSON.parse(m.data))));
    stream.addEventListener('status', (m) => prependRow(postsTable, postColumns, JSON.parse(m.data)));
    stream.addEventListener('connectivity', (m) => {
      const c = JSON.parse(m.data);
      dto = {...dto, Connected: c.online === true};
      showDto();
    });
  };
  if (document.readyState === 'complete') follow();
  else window.addEventListener('load', follow, {once: true});
  // A page kept in the back/forward cache would hold its stream (and one of the browser's six
  // connections to the bridge) open: closed when the page is hidden, opened again on return.
  const pause = () => {
    if (stream) stream.close();
    stream = null;
  };
  const resume = (ev) => {
    if (ev.persisted && !stream) follow();
  };
  window.addEventListener('pagehide', pause);
  window.addEventListener('pageshow', resume);

  await draw();
  return () => {
    window.removeEventListener('load', follow);
    window.removeEventListener('pagehide', pause);
    window.removeEventListener('pageshow', resume);
    if (stream) stream.close();
    destroyCharts();
  };
}
