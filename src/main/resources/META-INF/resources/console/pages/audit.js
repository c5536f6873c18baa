// For auditors and admins: history timelines, the org key policy, the credential report and the ledger.

import { get, call, download } from '../api.js';
import { el, form, table, time, route, path, facts, whole } from '../ui.js';
import { pageHeader, accountLinks, loading, isAdmin } from './common.js';

const PAGE_SIZE = 20;

function actor(who) {
  if (!who) return 'unknown';
  if (who.type === 'user') return `user ${who.subject}`;
  if (who.type === 'api_key') return `key ${who.key_id} of ${who.service_account}`;
  return `${who.type} ${who.name ?? ''}`.trim();
}

/** The event's own scalar fields (never a key value: the log holds none); unix times (…_at) read as UTC. */
function details(data) {
  const scalars = Object.entries(data || {}).filter(([, value]) => value !== null && typeof value !== 'object');
  const shown = (name, value) => (name.endsWith('_at') && typeof value === 'number' && value > 0 ? new Date(value * 1000).toISOString() : value);
  return el('span', { class: 'details' }, scalars.map(([name, value]) => el('span', { text: `${name}: ${shown(name, value)}` })));
}

function entry(event) {
  return el('li', { class: 'event' },
    el('p', { class: 'event-type' }, el('strong', { text: event.type }), ' ', time(event.recorded_at)),
    el('p', { text: `by ${actor(event.actor)} · request ${event.request_id ?? 'none'} · position ${event.position}` }),
    details(event.data));
}

/** An account's or a key's timeline, oldest first, a page at a time ("Load more" follows next_after). */
export async function historyPage(view) {
  const { org, name, id } = view.params;
  pageHeader(view, id ? `History of key ${id}` : `History of ${name}`);
  const base = id ? path`/service-accounts/${org}/${name}/api-keys/${id}/events` : path`/service-accounts/${org}/${name}/events`;
  const timeline = el('ol', { class: 'timeline', 'aria-label': 'Events, oldest first' });
  const more = el('button', { type: 'button', text: 'Load more', hidden: true });
  let after = null;
  const next = async () => {
    const query = after === null ? `?limit=${PAGE_SIZE}` : path`?limit=${PAGE_SIZE}&after=${after}`;
    const page = await get(base + query);
    timeline.append(...page.events.map(entry));
    after = page.next_after ?? null;
    more.hidden = after === null;
    return page.events.length || timeline.children.length ? timeline : el('p', { class: 'muted', text: 'No events.' });
  };
  more.addEventListener('click', () => next().catch(view.failed));
  view.section.append(accountLinks(org, name), loading('history', next).region, more);
}

export async function policyPage(view) {
  const { org } = view.params;
  pageHeader(view, `Key policy of ${org}`);
  const policy = await get(path`/orgs/${org}/key-policy`);
  view.section.append(facts([
    ['Longest key lifetime', policy.max_lifetime_days ? `${policy.max_lifetime_days} days` : 'no limit'],
    ['On a leak report', policy.on_leak === 'disable' ? 'disable the key (reversible)' : 'revoke the key'],
    ['Last changed', policy.updated_at ? el('span', {}, time(policy.updated_at), ` by ${policy.updated_by}`) : 'never'],
  ]));
  if (!isAdmin(view)) {
    view.section.append(el('p', { class: 'muted', text: 'Only admins of the org may change it.' }));
    return;
  }
  view.section.append(el('h2', { text: 'Change the policy' }), form({
    label: 'Change the key policy',
    fields: [
      { name: 'max_lifetime_days', label: 'Longest key lifetime (days)', type: 'number', min: 1, value: policy.max_lifetime_days ?? '',
        hint: '1 to 3650; empty for no limit. New and rotated keys get at most this.' },
      { name: 'on_leak', label: 'On a leak report', type: 'select', options: [['revoke', 'revoke'], ['disable', 'disable']], value: policy.on_leak },
    ],
    submit: 'Save policy',
    onSubmit: async (values) => {
      await call('PUT', path`/orgs/${org}/key-policy`, { max_lifetime_days: values.max_lifetime_days ? whole(values.max_lifetime_days) : null, on_leak: values.on_leak });
      view.go(route('orgs', org, 'policy'), 'Saved the key policy.');
    },
  }));
}

function saveFile(blob, name) {
  const link = el('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

export async function reportPage(view) {
  const { org } = view.params;
  pageHeader(view, `Credential report of ${org}`);
  const unused = view.query.get('unused_for_days') || '';
  const query = unused ? path`?unused_for_days=${unused}` : '';
  const here = route('orgs', org, 'report');
  const report = path`/orgs/${org}/credential-report` + query;
  view.section.append(form({
    label: 'Filter the report',
    fields: [{ name: 'unused_for_days', label: 'Unused for at least (days)', type: 'number', min: 0, value: unused, hint: 'Empty: every active key. A never-used key counts from its creation.' }],
    submit: 'Filter',
    onSubmit: async (values) => view.go(values.unused_for_days ? `${here}?unused_for_days=${encodeURIComponent(values.unused_for_days)}` : here),
  }), el('button', { type: 'button', id: 'download-csv', text: 'Download CSV',
    onclick: () => download(report, 'text/csv').then((blob) => saveFile(blob, `credential-report-${org}.csv`), view.failed) }),
  loading('the report', async () => table(`Active keys of ${org}${unused ? `, unused for ${unused} days` : ''}`, [
    ['Account', (k) => el('a', { href: route('orgs', org, 'accounts', k.service_account, 'keys'), text: k.service_account })],
    ['Privilege', (k) => k.privilege],
    ['Key id', (k) => el('code', { text: k.id })],
    ['Description', (k) => k.description],
    ['Created', (k) => time(k.created_at)],
    ['Expires', (k) => time(k.expires_at)],
    ['Last used', (k) => time(k.last_used_at)],
    ['Over policy', (k) => (k.exceeds_policy ? 'yes' : 'no')],
    ['Disabled', (k) => time(k.disabled_at, 'no')],
  ], await get(report), 'No key matches.')).region);
}

const VERIFICATION = 'keyledger.console.verification';

function verdict(job) {
  const result = job.result;
  const rows = [['State', job.state], ['Started', time(job.started_at)], ['Finished', time(job.finished_at, 'not yet')],
    ['Events checked', String(result?.events_checked ?? job.events_checked ?? 0)]];
  if (result) {
    rows.push(['Checkpoints checked', String(result.checkpoints_checked)], ['Verdict', result.valid ? 'valid: every chain and checkpoint holds' : 'BROKEN']);
    if (result.first_break) {
      const { position, stream_id: stream, reason } = result.first_break;
      rows.push(['First break', `position ${position} in stream ${stream}: ${reason}`]);
    }
  }
  if (job.error) rows.push(['Error', job.error]);
  return facts(rows);
}

/** The ledger for auditors: the latest verification this tab ran (or one running), and a button to run one. */
export async function ledgerPage(view) {
  pageHeader(view, 'Ledger verification');
  const result = el('div', { 'aria-live': 'polite' });
  const follow = async (job) => {
    sessionStorage.setItem(VERIFICATION, job.id);
    result.replaceChildren(verdict(job));
    if (job.state === 'running' && result.isConnected) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await follow(await get(path`/ledger/verifications/${job.id}`));
    }
  };
  const start = () => call('POST', '/ledger/verifications').then(follow).catch(view.failed);
  view.section.append(el('p', { class: 'hint', text: 'Walks every stream\'s hash chain and every signed checkpoint of the whole log (keyledger:auditor).' }),
    el('button', { type: 'button', class: 'primary', id: 'verify-ledger', text: 'Verify the ledger now', onclick: start }), result);
  const last = sessionStorage.getItem(VERIFICATION);
  if (last) await follow(await get(path`/ledger/verifications/${last}`)).catch(view.failed);
  else result.replaceChildren(el('p', { class: 'muted', text: 'No verification from this tab yet.' }));
}
