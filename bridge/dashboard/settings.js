// Settings: a device's settings through PUT /api/v1/devices/{id}/particle. The server
// validates; its message names the field ("Variables[1].CheckInterval: expected ..."), and the
// page shows it next to that field.
import {get, request, session} from './api.js';
import {el, announce} from './dom.js';
import {lookupName} from './names.js';

let fieldCount = 0;

// A labelled control whose error paragraph is tied to it; path is the field's name in the
// server's messages.
function control(path, label, input, hint) {
  const id = `s-${++fieldCount}`;
  input.id = id;
  input.dataset.field = path;
  const error = el('p', {class: 'field-error', id: `${id}-error`, 'data-error-for': path});
  const hintNode = hint ? el('p', {class: 'hint', id: `${id}-hint`}, hint) : null;
  input.setAttribute('aria-describedby', [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' '));
  const wrap = input.type === 'checkbox'
    ? el('div', {class: 'field check'}, input, el('label', {for: id}, label), hintNode, error)
    : el('div', {class: 'field'}, el('label', {for: id}, label), input, hintNode, error);
  return wrap;
}

const text = (value, attrs) => el('input', {type: 'text', value, autocomplete: 'off', spellcheck: 'false', ...(attrs || {})});
const check = (on) => el('input', {type: 'checkbox', checked: on});

function notifyFields(path, label, option) {
  return el('fieldset', {},
    el('legend', {}, label),
    control(`${path}.PostStatusMessage`, 'Post a status message', check(option.PostStatusMessage)),
    control(`${path}.Message`, 'Message', text(option.Message, {maxlength: 255}), '{name} is replaced by the device\'s name.'));
}

function variableRows(dto) {
  if (!dto.Variables.length) return el('p', {}, 'The device has no variables.');
  return el('div', {class: 'variables'}, dto.Variables.map((v, i) =>
    el('fieldset', {class: 'variable'},
      el('legend', {}, `Variable ${v.Name} (${v.Type})`),
      control(`Variables[${i}].Enabled`, 'Polled', check(v.Enabled)),
      control(`Variables[${i}].CheckInterval`, 'Check interval', text(v.CheckInterval), '00:00:00 uses the device\'s interval.'),
      control(`Variables[${i}].Unit`, 'Unit (SenML)', text(v.Unit, {maxlength: 32}), 'For example Cel, %RH, V; empty for none.'))));
}

// The PUT body from the form: every settable field, as the inputs hold it.
function collect(form, dto) {
  const value = (path) => {
    const input = form.querySelector(`[data-field="${CSS.escape(path)}"]`);
    return input.type === 'checkbox' ? input.checked : input.value;
  };
  const notify = (p) => ({PostStatusMessage: value(`${p}.PostStatusMessage`), Message: value(`${p}.Message`)});
  return {
    CheckInterval: value('CheckInterval'),
    Enabled: value('Enabled'),
    PublishUnknownEventsAsMeasurements: value('PublishUnknownEventsAsMeasurements'),
    PublishUnknownEventsAsStatusPosts: value('PublishUnknownEventsAsStatusPosts'),
    IgnoreRename: value('IgnoreRename'),
    OnlineNotificationOption: notify('OnlineNotificationOption'),
    OfflineNotificationOption: notify('OfflineNotificationOption'),
    Variables: dto.Variables.map((v, i) => ({
      Name: v.Name,
      Enabled: value(`Variables[${i}].Enabled`),
      CheckInterval: value(`Variables[${i}].CheckInterval`),
      Unit: value(`Variables[${i}].Unit`),
    })),
  };
}

function clearErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
  for (const i of form.querySelectorAll('[aria-invalid]')) i.removeAttribute('aria-invalid');
}

// Shows the server's message next to the field it names; false when it names none we show.
function showFieldError(form, message) {
  const m = /^([A-Za-z]+(?:\[\d+\])?(?:\.[A-Za-z]+)?): /.exec(message);
  if (!m) return false;
  const input = form.querySelector(`[data-field="${CSS.escape(m[1])}"]`);
  if (!input) return false;
  form.querySelector(`[data-error-for="${CSS.escape(m[1])}"]`).textContent = message;
  input.setAttribute('aria-invalid', 'true');
  input.focus();
  return true;
}

export async function renderSettings(root, id) {
  const enc = encodeURIComponent(id);
  const dto = await get(`/api/v1/devices/${enc}/particle`);
  const name = (await lookupName(id)) || id;
  fieldCount = 0;
  const formError = el('p', {class: 'field-error', id: 'form-error', role: 'alert'});
  const saved = el('p', {class: 'note', id: 'saved', role: 'status'});
  const save = el('button', {type: 'submit', id: 'save'}, 'Save');
  const body = el('fieldset', {class: 'plain', disabled: session.readOnly},
    el('legend', {class: 'visually-hidden'}, 'Settings'),
    control('CheckInterval', 'Check interval', text(dto.CheckInterval), 'How often the variables are read: a TimeSpan such as 00:05:00.'),
    control('Enabled', 'Poll this device', check(dto.Enabled)),
    control('PublishUnknownEventsAsMeasurements', 'Store unknown events as measurements', check(dto.PublishUnknownEventsAsMeasurements)),
    control('PublishUnknownEventsAsStatusPosts', 'Store unknown events as status posts', check(dto.PublishUnknownEventsAsStatusPosts)),
    control('IgnoreRename', 'Ignore renames in the cloud', check(dto.IgnoreRename)),
    notifyFields('OnlineNotificationOption', 'When the device comes online', dto.OnlineNotificationOption),
    notifyFields('OfflineNotificationOption', 'When the device goes offline', dto.OfflineNotificationOption),
    el('h2', {}, 'Variables'),
    variableRows(dto),
    save);
  const form = el('form', {id: 'settings-form', novalidate: true}, body, formError, saved);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    formError.textContent = '';
    saved.textContent = '';
    save.disabled = true;
    try {
      await request('PUT', `/api/v1/devices/${enc}/particle`, collect(form, dto));
      saved.textContent = `Saved at ${new Date().toLocaleTimeString()}.`;
      announce('Settings saved');
    } catch (e) {
      if (e.status !== 400 || !showFieldError(form, e.message)) {
        formError.textContent = e.code === 'read_only' ? 'This key may read but not change anything.' : `Not saved: ${e.message}`;
      }
    } finally {
      save.disabled = session.readOnly;
    }
  });
  root.append(
    el('h1', {}, `Settings of ${name}`),
    el('p', {}, el('a', {href: `#/device/${enc}`}, 'Back to the device')));
  if (session.readOnly) {
    root.append(el('p', {class: 'notice', id: 'read-only-note'}, 'You signed in with the read-only key: the settings are shown but cannot be changed. Sign in with the API key to edit them.'));
  }
  root.append(form);
}
