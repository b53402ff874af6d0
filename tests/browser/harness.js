'use strict';
// The stack the browser test, `make screenshots` and the dashboard bench drive: particle-sim
// with tests/browser/fleet.json (hostile names, notes, variable values and event data), and
// particle-bridge on a scratch SQLite file serving the dashboard from the source folder, with
// an API key and a read-only key. Everything listens on loopback ports chosen at start.
const {spawn, execFileSync} = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const SOURCE = path.resolve(__dirname, '..', '..');
const TOKEN = 'da5bda5bda5bda5bda5bda5bda5bda5bda5bda5b';
const API_KEY = 'dashboard-test-api-key-0123456789';
const READ_ONLY_KEY = 'dashboard-test-read-only-key-0123';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const {port} = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts a program with its output in a log file; resolves when ready() says so.
function start(file, args, env, log) {
  const out = fs.openSync(log, 'a');
  const child = spawn(file, args, {env: {...process.env, ...env}, stdio: ['ignore', out, out]});
  fs.closeSync(out);
  child.exitedPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve({code, signal})));
  return child;
}

async function stop(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
  await child.exitedPromise;
  clearTimeout(timer);
}

async function waitFor(what, probe, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

class Stack {
  constructor(opts) {
    this.sim = opts.sim;
    this.bridge = opts.bridge;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-'));
    this.db = path.join(this.dir, 'bridge.db');
    this.apiKey = API_KEY;
    this.readOnlyKey = READ_ONLY_KEY;
    this.token = TOKEN;
  }

  log(name) {
    return path.join(this.dir, name);
  }

  async startSim() {
    const log = this.log('sim.log');
    this.simProc = start(this.sim, ['--listen', '127.0.0.1:0', '--seed', '5', '--fleet', path.join(__dirname, 'fleet.json')], {}, log);
    this.simUrl = await waitFor('particle-sim', () => {
      const m = /particle-sim listening on (http:\/\/[0-9.:]+)/.exec(fs.readFileSync(log, 'utf8'));
      return m && m[1];
    }, 15000);
  }

  async startBridge() {
    if (!this.port) this.port = await freePort();
    const ini = path.join(this.dir, 'bridge.ini');
    fs.writeFileSync(ini, [
      '[cloud]', `url = ${this.simUrl}`, 'user_scope = true', 'products = greenhouse', 'sync_interval = 1h',
      '[database]', `path = ${this.db}`,
      '[api]', 'listen = 127.0.0.1', `port = ${this.port}`,
      `dashboard_dir = ${path.join(SOURCE, 'bridge', 'dashboard')}`,
      '[defaults]', 'check_interval = 00:00:05',
      '[log]', 'level = info', '',
    ].join('\n'));
    this.bridgeProc = start(this.bridge, ['--config', ini], {
      PARTICLE_ACCESS_TOKEN: TOKEN,
      PARTICLE_BRIDGE_API_KEY: API_KEY,
      PARTICLE_BRIDGE_READ_ONLY_KEY: READ_ONLY_KEY,
      ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=0',
    }, this.log('bridge.log'));
    this.url = `http://127.0.0.1:${this.port}`;
    // Ready when the first sync has stored the whole fixture (3 own devices + 8 in the product).
    await waitFor('the bridge\'s first sync', async () => {
      if (this.bridgeProc.exitCode !== null) throw new Error(`particle-bridge exited:\n${this.bridgeLog()}`);
      const page = await this.api('/api/v1/devices?limit=100');
      return page.items.length >= 11;
    }, 30000);
  }

  bridgeLog() {
    try {
      return fs.readFileSync(this.log('bridge.log'), 'utf8').slice(-4000);
    } catch {
      return '';
    }
  }

  async stopBridge() {
    await stop(this.bridgeProc);
  }

  // The bridge's API with the full key (what the page's figures are checked against).
  async api(pathAndQuery, init) {
    const res = await fetch(this.url + pathAndQuery, {
      ...(init || {}),
      headers: {Authorization: `Bearer ${API_KEY}`, Accept: 'application/json', ...((init && init.headers) || {})},
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${pathAndQuery}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async simCall(method, pathAndQuery, body) {
    const res = await fetch(this.simUrl + pathAndQuery, {
      method,
      headers: {Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json'},
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sim ${pathAndQuery}: ${res.status} ${await res.text()}`);
    return res.json();
  }

  // Rows straight into the SQLite file while the bridge is stopped (the bench's year).
  sql(statements) {
    execFileSync('sqlite3', [this.db], {input: statements});
  }

  async stop(keep) {
    await stopBridgeAndSim(this);
    if (!keep) fs.rmSync(this.dir, {recursive: true, force: true});
  }
}

async function stopBridgeAndSim(stack) {
  await stop(stack.bridgeProc);
  await stop(stack.simProc);
}

async function startStack(opts) {
  const stack = new Stack(opts);
  try {
    await stack.startSim();
    if (opts.beforeBridge) await opts.beforeBridge(stack);
    await stack.startBridge();
  } catch (e) {
    await stopBridgeAndSim(stack);
    e.message += `\n--- bridge log (${stack.dir})\n${stack.bridgeLog()}`;
    throw e;
  }
  return stack;
}

async function launchBrowser() {
  const puppeteer = require('puppeteer-core');
  const args = ['--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--no-default-browser-check'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return puppeteer.launch({executablePath: CHROMIUM, headless: true, args});
}

// Signs in through the page's form and waits for the fleet page.
async function login(page, url, key) {
  await page.goto(`${url}/#/login`, {waitUntil: 'domcontentloaded'});
  await page.waitForSelector('body[data-page-ready="login"]');
  await page.type('#login-key', key);
  await Promise.all([
    page.waitForSelector('body[data-page-ready="fleet"]', {timeout: 15000}),
    page.click('form.login button[type="submit"]'),
  ]);
}

// Goes to a hash route and waits until the page says it is drawn.
// A whole load each time (from about:blank), so nothing of the previous page is left over.
async function open(page, url, hash, ready) {
  await page.goto('about:blank');
  await page.goto(`${url}/${hash}`, {waitUntil: 'domcontentloaded'});
  await page.waitForSelector(`body[data-page-ready="${ready}"]`, {timeout: 20000});
}

module.exports = {startStack, launchBrowser, login, open, waitFor, sleep, SOURCE, CHROMIUM};
