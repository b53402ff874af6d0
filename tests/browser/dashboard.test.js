'use strict';
// The dashboard in headless Chromium (puppeteer-core) against particle-bridge fed by
// particle-sim: issue 16's Acceptance. Screenshots of each page go to BROWSER_OUT.
// Run by tests/browser/run.sh (which installs puppeteer-core and finds the programs).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const {startStack, launchBrowser, login, open, waitFor, sleep} = require('./harness.js');

const OUT = process.env.BROWSER_OUT || fs.mkdtempSync('/tmp/browser-out-');
const HOSTILE = 'da5b00000000000000000001'; // name, notes, a variable and an event carry markup
const HOSTILE_NAME = '<img src=x onerror=window.__xss=1>';
const HOSTILE_NOTES = '<script>window.__xss=2</script>';
const HOSTILE_VALUE = '<img src=x onerror=window.__xss=3>';
const HOSTILE_EVENT = '<svg onload=window.__xss=4><script>window.__xss=5</script>';

let stack;
let browser;
let page;
const problems = []; // page errors, CSP violations, dialogs: each fails the last test

function watch(p) {
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  p.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  p.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
}

async function shot(p, name) {
  fs.mkdirSync(OUT, {recursive: true});
  await p.screenshot({path: path.join(OUT, `dashboard-${name}.png`), fullPage: true});
}

const noXss = (p) => p.evaluate(() => window.__xss);
const textOf = (p, sel) => p.$eval(sel, (n) => n.textContent);

test.before(async () => {
  stack = await startStack({sim: process.env.PARTICLE_SIM, bridge: process.env.PARTICLE_BRIDGE});
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setViewport({width: 1280, height: 900});
  watch(page);
});

test.after(async () => {
  if (browser) await browser.close();
  if (stack) await stack.stop();
});

test('a wrong key is refused with a message, the right one signs in', async () => {
  await page.goto(`${stack.url}/`, {waitUntil: 'domcontentloaded'});
  await page.waitForSelector('body[data-page-ready="login"]');
  await shot(page, 'login');
  await page.type('#login-key', 'not-the-key-at-all');
  await page.click('form.login button[type="submit"]');
  await page.waitForFunction(() => document.getElementById('login-error').textContent.length > 0);
  assert.equal(await textOf(page, '#login-error'), 'That key is not accepted.');
  await page.$eval('#login-key', (n) => { n.value = ''; });
  await login(page, stack.url, stack.apiKey);
  assert.match(await textOf(page, '#access'), /Full access/);
});

test('fleet: the counts equal the API, and each equals what the device list pages sum to', async () => {
  await open(page, stack.url, '#/fleet', 'fleet');
  const shown = await page.$$eval('#fleet-counts [data-count]', (nodes) => nodes.map((n) => ({product: n.dataset.product, key: n.dataset.count, value: Number(n.textContent)})));
  const fleet = await stack.api('/api/v1/fleet');
  const expected = [];
  for (const p of fleet.products) {
    for (const key of ['online', 'offline', 'faulted', 'gone', 'total']) expected.push({product: p.product_id === null ? 'own' : String(p.product_id), key, value: p[key]});
  }
  for (const key of ['online', 'offline', 'faulted', 'gone', 'total']) expected.push({product: 'all', key, value: fleet.totals[key]});
  assert.deepEqual(shown, expected);
  assert.equal(fleet.totals.total, 11);

  // The same counts from the device list, paged (3 rows a page, to walk several pages).
  const count = async (q) => {
    let n = 0;
    let next = `/api/v1/devices?limit=3${q}`;
    while (next) {
      const pg = await stack.api(next);
      n += pg.items.length;
      next = pg.next;
    }
    return n;
  };
  const filters = {online: '&connected=true&gone=false', offline: '&connected=false&gone=false', faulted: '&faulted=true', gone: '&gone=true'};
  for (const [key, q] of Object.entries(filters)) assert.equal(await count(q), fleet.totals[key], `all devices, ${key}`);
  for (const p of fleet.products.filter((x) => x.product_id !== null)) {
    for (const [key, q] of Object.entries(filters)) assert.equal(await count(`&product=${p.product_id}${q}`), p[key], `product ${p.product_id}, ${key}`);
  }
  assert.match(await textOf(page, '#last-sync'), /Last sync: \d{4}-/);
  await shot(page, 'fleet');
});

test('fleet: the device list pages on the server, filters and sorts', async () => {
  await open(page, stack.url, '#/fleet', 'fleet');
  const rows = () => page.$$eval('#devices-table tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
  const first = await rows();
  assert.equal(first.length, 11); // 25 a page: all of them, sorted by name
  assert.deepEqual(first, [...first].sort());
  await page.type('#f-search', 'gh-');
  await page.click('.filters button[type="submit"]');
  await page.waitForFunction(() => document.querySelectorAll('#devices-table tbody tr').length === 8);
  await page.select('#f-status', 'offline');
  await page.waitForFunction(() => document.querySelectorAll('#devices-table tbody tr').length === 2);
  const offline = await page.$$eval('#devices-table tbody tr', (trs) => trs.map((tr) => tr.cells[1].textContent));
  assert.ok(offline.every((s) => s.includes('offline')), offline.join());
  // Back to no filter for the next tests (the filters are kept between pages).
  await page.select('#f-status', '');
  await page.waitForFunction(() => document.querySelectorAll('#devices-table tbody tr').length === 8);
  await page.$eval('#f-search', (n) => { n.value = ''; });
  await page.click('.filters button[type="submit"]');
  await page.waitForFunction(() => document.querySelectorAll('#devices-table tbody tr').length === 11);
});

test('hostile names, notes, variable values and event data are shown as text, never run', async () => {
  // Wait until the bridge holds the hostile event and the string variable's value.
  await waitFor('the hostile event', async () => (await stack.api(`/api/v1/events?device=${HOSTILE}&name_prefix=note&limit=1`)).items.length > 0, 20000);
  await waitFor('the hostile variable value', async () => (await stack.api(`/api/v1/status-posts?device=${HOSTILE}&name=label&limit=1`)).items.length > 0, 90000);

  await open(page, stack.url, '#/fleet', 'fleet');
  const names = await page.$$eval('#devices-table tbody tr td:first-child a', (as) => as.map((a) => a.textContent));
  assert.ok(names.includes(HOSTILE_NAME), names.join(' | '));
  assert.equal(await noXss(page), undefined);

  await open(page, stack.url, `#/device/${HOSTILE}`, 'fleet');
  const events = await textOf(page, '#events');
  assert.ok(events.includes(HOSTILE_EVENT), events);
  const posts = await textOf(page, '#status-posts');
  assert.ok(posts.includes(HOSTILE_VALUE), posts);
  assert.equal(await page.$$eval('#main img, #main svg, #main script', (n) => n.length), 0);
  assert.equal(await noXss(page), undefined);

  const report = await stack.api('/api/v1/reports/devices?limit=100');
  assert.ok(report.items.some((r) => r.Notes === HOSTILE_NOTES), 'the devices report has the notes');
  await open(page, stack.url, '#/reports/devices', 'reports');
  assert.ok((await textOf(page, '#report-table')).includes(HOSTILE_NOTES));
  assert.equal(await page.$$eval('#main img, #main script', (n) => n.length), 0);
  assert.equal(await noXss(page), undefined);
});

test('device: one chart per measurement, with as many points as the downsampled API answer', async () => {
  const id = 'da5b00000000000000000002';
  await waitFor('readings of the reading event', async () => (await stack.api(`/api/v1/measurements?device=${id}&name=reading&limit=5`)).items.length >= 5, 20000);
  // No reading may arrive between the page's request and the test's: the device is polled
  // once an hour and the simulator's clock (its publishers) stands still meanwhile.
  await stack.api(`/api/v1/devices/${id}/particle`, {method: 'PUT', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({CheckInterval: '01:00:00'})});
  await stack.simCall('POST', '/sim/clock/pause');
  try {
    await sleep(1500); // what was published before the pause is stored
    await chartsMatchApi(id);
  } finally {
    await stack.simCall('POST', '/sim/clock/resume');
  }
});

async function chartsMatchApi(id) {
  await open(page, stack.url, `#/device/${id}?range=hour`, 'fleet');
  await page.waitForSelector('body[data-charts-ready]');
  const figures = await page.$$eval('#measurement-charts figure', (fs) => fs.map((f) => ({
    name: f.dataset.measurement,
    source: f.dataset.source,
    points: window.Chart.getChart(f.querySelector('canvas')).data.datasets[0].data.length,
  })));
  const names = figures.map((f) => f.name);
  for (const n of ['humidity', 'reading', 'temp']) assert.ok(names.includes(n), names.join());
  for (const f of figures) {
    assert.match(f.source, /[?&]bucket=\d+s(&|$)/);
    const answer = await stack.api(f.source);
    assert.equal(f.points, answer.items.length, f.name);
    if (f.name === 'reading') assert.ok(f.points > 0);
  }
  assert.match(await textOf(page, '#breaker-state'), /closed|open/);
  await page.waitForFunction(() => document.getElementById('live-state').textContent.includes('on'));
  await shot(page, 'device');

  // A custom range (typed as local times, in minutes) redraws with its own buckets.
  const checkAgainstApi = async () => {
    await page.waitForSelector('body[data-charts-ready]');
    const again = await page.$$eval('#measurement-charts figure', (fs) => fs.map((f) => ({
      source: f.dataset.source,
      points: window.Chart.getChart(f.querySelector('canvas')).data.datasets[0].data.length,
    })));
    assert.ok(again.length >= 3);
    for (const f of again) assert.equal(f.points, (await stack.api(f.source)).items.length, f.source);
    return again;
  };
  await page.select('#range', 'custom');
  await page.$eval('#range-from', (n) => { n.value = new Date(Date.now() - 10 * 60e3 - new Date().getTimezoneOffset() * 60e3).toISOString().slice(0, 16); });
  await page.$eval('#range-to', (n) => { n.value = new Date(Date.now() + 60e3 - new Date().getTimezoneOffset() * 60e3).toISOString().slice(0, 16); });
  await page.click('.filters button[type="submit"]');
  const custom = await checkAgainstApi();
  assert.match(custom[0].source, /bucket=1s/); // 11 minutes / 750, rounded up
  await page.select('#range', 'week');
  const week = await checkAgainstApi();
  assert.match(week[0].source, /bucket=807s/);
}

test('device: a live event appears within 2 s of being published to the simulator', async () => {
  const id = 'da5b00000000000000000002';
  await open(page, stack.url, `#/device/${id}?range=hour`, 'fleet');
  await page.waitForFunction(() => document.getElementById('live-state').textContent.includes('on'), {timeout: 10000});
  const marker = `live-${Date.now()}`;
  const t0 = Date.now();
  await stack.simCall('POST', `/sim/devices/${id}/events`, {name: 'dash-live', data: marker, private: true});
  await page.waitForFunction((m) => document.getElementById('events').textContent.includes(m), {timeout: 2000, polling: 20}, marker);
  const ms = Date.now() - t0;
  assert.ok(ms <= 2000, `${ms} ms`);
  console.log(`# live event shown after ${ms} ms`);
});

test('device: the breaker of a faulted device shows open, and the reset button closes it', async () => {
  const id = 'da5b00000000000000000003'; // offline: its polls fail until the breaker opens
  await waitFor('the breaker to open', async () => (await stack.api(`/api/v1/devices/${id}/particle`)).Faulted, 60000);
  await open(page, stack.url, `#/device/${id}?range=hour`, 'fleet');
  assert.match(await textOf(page, '#breaker-state'), /^open /);
  await page.click('#breaker-reset');
  await page.waitForFunction(() => document.getElementById('breaker-state').textContent.startsWith('closed'));
  assert.match(await textOf(page, '#breaker'), /The breaker is reset\./);
});

test('settings: a bad value shows the server\'s message by the field, a good one is saved', async () => {
  const id = 'da5b00000000000000000002';
  await open(page, stack.url, `#/settings/${id}`, 'fleet');
  const field = '[data-field="CheckInterval"]';
  await page.$eval(field, (n) => { n.value = ''; });
  await page.type(field, 'soon');
  await page.click('#save');
  await page.waitForFunction(() => document.querySelector('[data-error-for="CheckInterval"]').textContent.length > 0);
  // The same body straight to the API gives the message the page shows.
  const res = await fetch(`${stack.url}/api/v1/devices/${id}/particle`, {
    method: 'PUT', headers: {Authorization: `Bearer ${stack.apiKey}`, 'Content-Type': 'application/json'},
    body: JSON.stringify({CheckInterval: 'soon'}),
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  const message = body.message || body.error;
  assert.equal(await textOf(page, '[data-error-for="CheckInterval"]'), message);
  assert.equal(await page.$eval(field, (n) => n.getAttribute('aria-invalid')), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.field), 'CheckInterval');
  await shot(page, 'settings');

  await page.$eval(field, (n) => { n.value = ''; });
  await page.type(field, '00:02:30');
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('saved').textContent.startsWith('Saved'));
  assert.equal((await stack.api(`/api/v1/devices/${id}/particle`)).CheckInterval, '00:02:30');
});

test('reports: every report pages as a table and downloads as CSV', async () => {
  await open(page, stack.url, '#/reports', 'reports');
  const links = await page.$$eval('#report-list li > a:first-child', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= 18);
  await shot(page, 'reports');
  for (const href of links) {
    await open(page, stack.url, href, 'reports');
    const rows = Number(await page.$eval('#report', (n) => n.dataset.rows));
    const name = href.slice('#/reports/'.length);
    const api = await stack.api(`/api/v1/reports/${name}?limit=50`);
    assert.equal(rows, api.items.length, name);
  }
  await open(page, stack.url, '#/reports/list-devices', 'reports');
  const csv = await page.evaluate(async () => {
    const r = await fetch(document.getElementById('report-csv').getAttribute('href'), {credentials: 'same-origin'});
    return {type: r.headers.get('content-type'), text: await r.text()};
  });
  assert.match(csv.type, /^text\/csv/);
  assert.match(csv.text, /^DeviceId,Name,/);
  await shot(page, 'report');
});

test('read-only key: pages open, changes are disabled and refused', async () => {
  const context = await browser.createBrowserContext();
  const ro = await context.newPage();
  watch(ro);
  await ro.setViewport({width: 1280, height: 900});
  try {
    await login(ro, stack.url, stack.readOnlyKey);
    assert.match(await textOf(ro, '#access'), /Read-only/);
    const id = 'da5b00000000000000000002';
    await open(ro, stack.url, `#/settings/${id}`, 'fleet');
    assert.ok(await ro.$eval('#save', (b) => b.disabled || b.closest('fieldset').disabled));
    assert.match(await textOf(ro, '#read-only-note'), /read-only key/);
    // The server refuses it too, whatever the page does.
    const answer = await ro.evaluate(async (dev) => {
      const s = await (await fetch('/api/v1/session', {credentials: 'same-origin'})).json();
      const r = await fetch(`/api/v1/devices/${dev}/particle`, {
        method: 'PUT', credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token},
        body: JSON.stringify({CheckInterval: '00:09:00'}),
      });
      return {status: r.status, body: await r.json()};
    }, id);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error, 'read_only');
    assert.notEqual((await stack.api(`/api/v1/devices/${id}/particle`)).CheckInterval, '00:09:00');
    await open(ro, stack.url, `#/device/${id}?range=hour`, 'fleet');
    assert.equal(await ro.$eval('#breaker-reset', (b) => b.disabled), true);
  } finally {
    await context.close();
  }
});

test('keyboard and phone width: a skip link first, focus shown, no sideways scrolling at 375 px', async () => {
  await page.setViewport({width: 375, height: 800, isMobile: true});
  await open(page, stack.url, '#/fleet', 'fleet');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the page is no wider than the screen');
  await shot(page, 'phone');
  await open(page, stack.url, '#/device/da5b00000000000000000002?range=hour', 'fleet');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the device page fits too');
  await page.setViewport({width: 1280, height: 900});
});

test('no script ran from the data, no page error, no CSP violation', async () => {
  assert.equal(await noXss(page), undefined);
  assert.deepEqual(problems, []);
});
