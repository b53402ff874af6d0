// The dashboard's entry: asks for the key once (a session), then routes by the hash:
// #/fleet, #/device/<id>, #/reports, #/reports/<name>, #/settings/<id>, #/login.
import * as api from './api.js';
import {el, clear, announce} from './dom.js';
import {renderFleet} from './fleet.js';
import {renderDevice} from './device.js';
import {renderReports, renderReport} from './reports.js';
import {renderSettings} from './settings.js';

const main = document.getElementById('main');
let signedIn = false;
// Each page may leave something running (an event stream, charts); the next route stops it.
let teardown = null;
let routed = false;

const routes = [
  [/^#\/fleet$/, 'fleet', () => renderFleet],
  [/^#\/device\/([A-Za-z0-9_-]+)(?:\?range=([a-z]+))?$/, 'fleet', (m) => (root) => renderDevice(root, m[1], m[2])],
  [/^#\/reports$/, 'reports', () => renderReports],
  [/^#\/reports\/([A-Za-z0-9_-]+)$/, 'reports', (m) => (root) => renderReport(root, m[1])],
  [/^#\/settings\/([A-Za-z0-9_-]+)$/, 'fleet', (m) => (root) => renderSettings(root, m[1])],
];

function showChrome() {
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('logout').hidden = !signedIn;
  const access = document.getElementById('access');
  access.hidden = !signedIn;
  access.textContent = api.session.readOnly ? 'Read-only key: you can look, not change' : 'Full access';
  access.className = api.session.readOnly ? 'access access-ro' : 'access';
}

function renderLogin(root) {
  const input = el('input', {id: 'login-key', name: 'key', type: 'password', autocomplete: 'current-password', required: true});
  const error = el('p', {id: 'login-error', class: 'field-error', role: 'alert'});
  const form = el('form', {class: 'login', novalidate: true},
    el('h1', {}, 'Sign in'),
    el('p', {}, 'Enter the bridge\'s API key or its read-only key. The browser keeps a session; the key is not stored.'),
    el('label', {for: 'login-key'}, 'API key'),
    input, error,
    el('button', {type: 'submit'}, 'Sign in'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    try {
      await api.login(input.value);
      signedIn = true;
      showChrome();
      // Back to the page that was asked for (the login form stands in for it), else the fleet.
      if (!location.hash || location.hash === '#/login') location.hash = '#/fleet';
      else route();
    } catch (e) {
      error.textContent = e.status === 401 ? 'That key is not accepted.' : e.message;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'login-error');
      input.focus();
    }
  });
  root.appendChild(form);
  input.focus();
}

async function route() {
  if (teardown) {
    teardown();
    teardown = null;
  }
  delete document.body.dataset.pageReady;
  delete document.body.dataset.chartsReady;
  clear(main);
  const hash = location.hash || '#/fleet';
  if (!signedIn || hash === '#/login') {
    if (signedIn && hash === '#/login') {
      location.hash = '#/fleet';
      return;
    }
    renderLogin(main);
    document.body.dataset.pageReady = 'login';
    return;
  }
  for (const [pattern, page, make] of routes) {
    const m = hash.match(pattern);
    if (!m) continue;
    for (const a of document.querySelectorAll('#nav a')) {
      if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    try {
      teardown = (await make(m)(main)) || null;
      document.body.dataset.pageReady = page;
    } catch (e) {
      main.appendChild(el('p', {class: 'error', role: 'alert'}, `Could not load the page: ${e.message}`));
      document.body.dataset.pageReady = 'error';
    }
    const heading = main.querySelector('h1');
    announce(heading ? heading.textContent : '');
    // After a change of page, focus goes to its content (a screen reader reads it); on the
    // first load it stays at the top, so Tab reaches the skip link first.
    if (routed) main.focus({preventScroll: true});
    routed = true;
    return;
  }
  main.appendChild(el('p', {role: 'alert'}, 'No such page. ', el('a', {href: '#/fleet'}, 'Go to the fleet')));
}

window.addEventListener('hashchange', route);
window.addEventListener('unauthorized', () => {
  signedIn = false;
  showChrome();
  location.hash = '#/login';
  route();
});
document.getElementById('logout').addEventListener('click', async () => {
  await api.logout().catch(() => {});
  signedIn = false;
  showChrome();
  location.hash = '#/login';
});

(async () => {
  try {
    signedIn = await api.resume();
  } catch (e) {
    main.appendChild(el('p', {role: 'alert'}, `The bridge did not answer: ${e.message}`));
    return;
  }
  showChrome();
  route();
})();
