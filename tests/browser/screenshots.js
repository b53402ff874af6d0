'use strict';
// `make screenshots`: the PNGs of docs/img (dashboard-{fleet,device,reports,settings,phone}.png)
// from the browser test's harness, into $BROWSER_OUT. Run by tests/browser/run.sh.
const fs = require('node:fs');
const path = require('node:path');
const {startStack, launchBrowser, login, open, waitFor} = require('./harness.js');

const OUT = process.env.BROWSER_OUT;
const DEVICE = 'da5b00000000000000000002';

async function main() {
  fs.mkdirSync(OUT, {recursive: true});
  const stack = await startStack({sim: process.env.PARTICLE_SIM, bridge: process.env.PARTICLE_BRIDGE});
  const browser = await launchBrowser();
  try {
    // A minute of readings and events, so the charts and tables have something to show.
    await waitFor('a minute of readings', async () => (await stack.api(`/api/v1/measurements?device=${DEVICE}&name=reading&limit=60`)).items.length >= 60, 90000);
    const page = await browser.newPage();
    await page.setViewport({width: 1280, height: 900});
    const shot = (name) => page.screenshot({path: path.join(OUT, `dashboard-${name}.png`), fullPage: true});
    await login(page, stack.url, stack.apiKey);
    await open(page, stack.url, '#/fleet', 'fleet');
    await shot('fleet');
    await open(page, stack.url, `#/device/${DEVICE}?range=hour`, 'fleet');
    await page.waitForSelector('body[data-charts-ready]');
    await shot('device');
    await open(page, stack.url, '#/reports/fleet-status', 'reports');
    await shot('reports');
    await open(page, stack.url, `#/settings/${DEVICE}`, 'fleet');
    await page.$eval('[data-field="CheckInterval"]', (n) => { n.value = 'every now and then'; });
    await page.click('#save');
    await page.waitForFunction(() => document.querySelector('[data-error-for="CheckInterval"]').textContent.length > 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('settings');
    await page.setViewport({width: 375, height: 812, isMobile: true});
    await open(page, stack.url, '#/fleet', 'fleet');
    await shot('phone');
    console.log(`screenshots in ${OUT}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
