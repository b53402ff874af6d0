'use strict';
// dashboard_device_page_ms: a year of one-minute readings (525,600 rows, written straight into
// the bridge's SQLite file while it is stopped) for one device; the time from navigation to
// the device page's charts drawn over the whole year (the page's data-charts-ready-ms, taken
// from performance.now()), median of BENCH_DASHBOARD_RUNS loads (default 5).
const {startStack, launchBrowser, login} = require('./harness.js');

const DEVICE = 'da5b00000000000000000002';
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS || 5);
const MINUTES = 365 * 24 * 60;

async function main() {
  const stack = await startStack({sim: process.env.PARTICLE_SIM, bridge: process.env.PARTICLE_BRIDGE});
  const browser = await launchBrowser();
  try {
    await stack.stopBridge();
    const now = Date.now();
    stack.sql(`
      WITH RECURSIVE m(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM m WHERE n < ${MINUTES - 1})
      INSERT INTO measurements (key, device_id, name, value, ts_ms, source)
      SELECT n, '${DEVICE}', 'yearly', 20 + 8 * sin(n / 1440.0 * 6.2832) + (n % 7) * 0.1,
             ${now} - (${MINUTES} - n) * 60000, 'poll' FROM m;
      INSERT OR REPLACE INTO measurements_latest (device_id, name, value, ts_ms, source)
      VALUES ('${DEVICE}', 'yearly', 20, ${now - 60000}, 'poll');`);
    await stack.startBridge();

    const t0 = Date.now();
    const from = new Date(now - 365 * 86400e3).toISOString();
    const answer = await stack.api(`/api/v1/measurements?device=${DEVICE}&name=yearly&from=${from}&bucket=42048s`);
    console.log(`# the year bucketed: ${answer.items.length} buckets in ${Date.now() - t0} ms (API alone)`);

    const page = await browser.newPage();
    await page.setViewport({width: 1280, height: 900});
    await login(page, stack.url, stack.apiKey);
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      await page.goto('about:blank');
      await page.goto(`${stack.url}/#/device/${DEVICE}?range=year`, {waitUntil: 'domcontentloaded'});
      await page.waitForSelector('body[data-charts-ready]', {timeout: 60000});
      const ms = Number(await page.$eval('body', (b) => b.dataset.chartsReadyMs));
      const points = await page.$eval('figure[data-measurement="yearly"]', (f) => Number(f.dataset.points));
      if (points < 500) throw new Error(`the yearly chart has ${points} points`);
      times.push(ms);
      console.log(`# run ${i + 1}: ${ms} ms`);
    }
    times.sort((a, b) => a - b);
    console.log(`# runs (ms): ${times.join(' ')}`);
    console.log(`BENCH dashboard_device_page_ms ${times[Math.floor(times.length / 2)]} ms`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
