// The keys of an account: create, rotate, revoke, disable and enable; and which keys were active at an instant.

import { get, call } from '../api.js';
import { el, form, table, time, route, path, dialog, uid, words, seconds, whole, defined } from '../ui.js';
import { pageHeader, accountLinks, loading } from './common.js';

// what a new key and a rotation both take (a rotation copies scopes and CIDRs unless given)
const KEY_FIELDS = [
  { name: 'expires_at', label: 'Expires at (optional)', type: 'datetime-local', step: 1, hint: 'Empty: never, or the org policy\'s longest.' },
  { name: 'scopes', label: 'Scopes (optional)', hint: 'Space-separated, e.g. keyledger:read deploy:prod. Empty: all the account may do.' },
  { name: 'allowed_cidrs', label: 'Allowed CIDRs (optional)', hint: 'Space-separated, e.g. 10.0.0.0/8 2001:db8::/32. Empty: any address.' },
];

function keyBody(values) {
  return { expires_at: seconds(values.expires_at), scopes: words(values.scopes), allowed_cidrs: words(values.allowed_cidrs) };
}

/**
 * The value of a new key, shown once: a read-only field, a copy button and a plain warning. It lives only in this
 * panel; any navigation replaces the page and it is gone.
 */
function shownOnce(created, title, extra = []) {
  const inputId = uid('key-value');
  const warningId = `${inputId}-warning`;
  const input = el('input', { id: inputId, class: 'key-value', type: 'text', readonly: true, 'aria-describedby': warningId,
    autocomplete: 'off', spellcheck: 'false', 'data-key-id': created.id });
  input.value = created.key;
  const copied = el('span', { class: 'muted', role: 'status' });
  const copy = () => navigator.clipboard.writeText(input.value).then(() => { copied.textContent = 'Copied.'; }, () => {
    input.select();
    copied.textContent = 'Selected: press Ctrl+C (or ⌘C) to copy.';
  });
  return el('div', { class: 'once', id: 'new-key' },
    el('h2', { text: title }),
    el('label', { for: inputId, text: `Value of key ${created.id}` }), input,
    el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', text: 'Copy', onclick: copy }), copied),
    el('p', { id: warningId, class: 'warning', text: 'Copy it now: it will not be shown again. keyledger keeps only a hash of it; if it is lost, rotate the key.' }),
    extra);
}

function state(key) {
  if (!key.disabled_at) return 'active';
  return el('span', {}, 'disabled ', time(key.disabled_at), key.disabled_reason ? `: ${key.disabled_reason}` : '');
}

function keyActions(view, key, changed) {
  const { org, name } = view.params;
  const base = path`/service-accounts/${org}/${name}/api-keys/${key.id}`;
  const act = (handler) => () => handler().catch(view.failed);
  const rotate = act(async () => {
    const rotated = await dialog({
      title: `Rotate key ${key.id}`,
      intro: [el('p', { text: `A new key replaces "${key.description}"; the old one keeps working through the grace period.` })],
      fields: [{ name: 'grace_period_hours', label: 'Grace period (hours)', type: 'number', min: 1, value: '24', hint: '1 to 720.' }, ...KEY_FIELDS],
      submit: 'Rotate',
      onSubmit: (values) => call('POST', `${base}/rotate`, defined({ grace_period_hours: whole(values.grace_period_hours), ...keyBody(values) })),
    });
    if (rotated) changed(shownOnce(rotated, `New key ${rotated.id} (replaces ${rotated.replaces})`,
      el('p', {}, `The replaced key ${rotated.replaces} keeps working until `, time(rotated.grace_period_expires_at), '.')));
  });
  const revoke = act(async () => {
    const revoked = await dialog({
      title: `Revoke key ${key.id}?`,
      intro: [el('p', { text: `"${key.description}" is refused everywhere at once. This cannot be undone.` })],
      submit: `Revoke ${key.id}`,
      danger: true,
      onSubmit: () => call('DELETE', base),
    });
    if (revoked) changed(null, `Revoked key ${key.id}.`);
  });
  const disable = act(async () => {
    const disabled = await dialog({
      title: `Disable key ${key.id}?`,
      intro: [el('p', { text: 'A reversible quarantine: the key is refused until it is enabled again.' })],
      fields: [{ name: 'reason', label: 'Reason' }],
      submit: `Disable ${key.id}`,
      danger: true,
      onSubmit: (values) => call('POST', `${base}/disable`, values),
    });
    if (disabled) changed(null, `Disabled key ${key.id}.`);
  });
  const enable = act(async () => {
    await call('POST', `${base}/enable`);
    changed(null, `Enabled key ${key.id}.`);
  });
  return el('span', { class: 'links' },
    el('button', { type: 'button', text: 'Rotate', 'aria-label': `Rotate key ${key.id}`, onclick: rotate }),
    el('button', { type: 'button', class: 'danger', text: 'Revoke', 'aria-label': `Revoke key ${key.id}`, onclick: revoke }),
    key.disabled_at
      ? el('button', { type: 'button', text: 'Enable', 'aria-label': `Enable key ${key.id}`, onclick: enable })
      : el('button', { type: 'button', text: 'Disable', 'aria-label': `Disable key ${key.id}`, onclick: disable }),
    el('a', { href: route('orgs', org, 'accounts', name, 'keys', key.id, 'history'), text: 'History', 'aria-label': `History of key ${key.id}` }));
}

const listed = (values) => (values ? values.join(' ') : el('span', { class: 'muted', text: 'any' }));

export async function keysPage(view) {
  const { org, name } = view.params;
  pageHeader(view, `Keys of ${name}`);
  const once = el('div', {});
  // a change shows its new key value (or nothing) and reloads the list
  const changed = (panel, notice = '') => {
    once.replaceChildren(...(panel ? [panel] : []));
    if (notice) view.say(notice);
    keys.reload();
  };
  const keys = loading('keys', async () => table(`Active keys of ${name}`, [
    ['Key id', (k) => el('code', { text: k.id })],
    ['Description', (k) => k.description],
    ['Created', (k) => time(k.created_at)],
    ['Expires', (k) => time(k.expires_at)],
    ['Last used', (k) => time(k.last_used_at)],
    ['Scopes', (k) => listed(k.scopes)],
    ['Allowed from', (k) => listed(k.allowed_cidrs)],
    ['State', state],
    ['Actions', (k) => keyActions(view, k, changed)],
  ], await get(path`/service-accounts/${org}/${name}/api-keys`), 'No active keys.'));
  view.section.append(accountLinks(org, name), once, keys.region, el('h2', { text: 'Create a key' }), form({
    label: 'Create a key',
    fields: [{ name: 'description', label: 'Description' }, ...KEY_FIELDS],
    submit: 'Create key',
    onSubmit: async (values) => {
      const created = await call('POST', path`/service-accounts/${org}/${name}/api-keys`, defined({ description: values.description, ...keyBody(values) }));
      changed(shownOnce(created, `New key ${created.id}`), `Created key ${created.id}.`);
    },
  }));
}

/** A unix instant as a datetime-local value in the browser's time zone. */
function localInput(at) {
  const date = new Date(at * 1000);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 19);
}

export async function asOfPage(view) {
  const { org, name } = view.params;
  const scope = name ? `account ${name}` : `org ${org}`;
  pageHeader(view, `Keys active as of an instant (${scope})`);
  const here = name ? route('orgs', org, 'accounts', name, 'as-of') : route('orgs', org, 'as-of');
  const at = view.query.get('at');
  if (name) view.section.append(accountLinks(org, name));
  view.section.append(form({
    label: 'Choose the instant',
    fields: [{ name: 'at', label: 'Instant (your time zone)', type: 'datetime-local', step: 1, value: localInput(at && /^\d+$/.test(at) ? Number(at) : Date.now() / 1000),
      hint: 'Folded from the log, so later rotations and revocations do not change the answer.' }],
    submit: 'Show keys active then',
    onSubmit: async (values) => view.go(`${here}?at=${encodeURIComponent(seconds(values.at) ?? '')}`),
  }));
  if (!at) return;
  const endpoint = name ? path`/service-accounts/${org}/${name}/api-keys?as_of=${at}` : path`/orgs/${org}/api-keys?as_of=${at}`;
  const columns = [['Key id', (k) => el('code', { text: k.id })], ['Description', (k) => k.description],
    ['Created', (k) => time(k.created_at)], ['Expires', (k) => time(k.expires_at)], ['Disabled then', (k) => time(k.disabled_at, 'no')]];
  if (!name) columns.splice(1, 0, ['Account', (k) => el('a', { href: route('orgs', org, 'accounts', k.service_account, 'keys'), text: k.service_account })]);
  const when = /^\d+$/.test(at) ? new Date(Number(at) * 1000).toISOString() : at;
  view.section.append(loading('keys', async () => table(`Keys active at ${when}`, columns, await get(endpoint), `No key was active at ${when}.`)).region);
}
