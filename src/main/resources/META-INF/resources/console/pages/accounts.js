// Orgs, the service accounts of an org, and one account's settings (edit, delete).

import { get, call } from '../api.js';
import { el, form, table, time, route, path, dialog, list, defined } from '../ui.js';
import { pageHeader, accountLinks, loading } from './common.js';

const PRIVILEGES = [['admin', 'admin'], ['member', 'member'], ['snapshotter', 'snapshotter'], ['reader', 'reader']];

export async function orgsPage(view) {
  pageHeader(view, 'Your orgs');
  const { person } = view;
  const rows = [...person.orgs].map(([org, role]) => ({ org, role }));
  view.section.append(
    el('p', { class: 'hint', text: 'From the groups of your token (org:{org}:admin or :member).' }),
    table('Orgs you can see', [
      ['Org', (row) => el('a', { href: route('orgs', row.org, 'accounts'), text: row.org })],
      ['Your role', (row) => row.role],
      ['Pages', (row) => el('span', { class: 'links' },
        el('a', { href: route('orgs', row.org, 'as-of'), text: 'As of' }),
        el('a', { href: route('orgs', row.org, 'policy'), text: 'Key policy' }),
        el('a', { href: route('orgs', row.org, 'report'), text: 'Credential report' }))],
    ], rows, 'Your token names no org.'),
    el('h2', { text: 'Open another org' }),
    form({
      label: 'Open another org',
      fields: [{ name: 'org', label: 'Org name', hint: 'For groups the console cannot read (the API still decides).' }],
      submit: 'Open',
      onSubmit: async ({ org }) => view.go(route('orgs', org, 'accounts')),
    }));
  if (person.auditor) view.section.append(el('p', {}, 'You are an auditor: ', el('a', { href: route('ledger'), text: 'verify the ledger' }), '.'));
}

export async function accountsPage(view) {
  const { org } = view.params;
  pageHeader(view, `Service accounts of ${org}`);
  const accounts = loading('service accounts', async () => table(`Service accounts of ${org}`, [
    ['Name', (a) => el('a', { href: route('orgs', org, 'accounts', a.name, 'keys'), text: a.name })],
    ['Description', (a) => a.description ?? ''],
    ['Privilege', (a) => a.privilege],
    ['Created', (a) => time(a.created_at)],
    ['Pages', (a) => accountLinks(org, a.name)],
  ], await get(path`/service-accounts/${org}`), 'No service accounts yet.'));
  view.section.append(accounts.region, el('h2', { text: 'Create a service account' }), form({
    label: 'Create a service account',
    fields: [
      { name: 'name', label: 'Name', hint: '1 to 64 of a-z 0-9 - _, starting with a letter or digit.' },
      { name: 'description', label: 'Description' },
      { name: 'privilege', label: 'Privilege', type: 'select', options: PRIVILEGES, value: 'member' },
    ],
    submit: 'Create account',
    onSubmit: async ({ name, description, privilege }) => {
      const created = await call('POST', path`/service-accounts/${org}`, defined({ name, description: description || undefined, privilege }));
      view.go(route('orgs', org, 'accounts', created.name, 'keys'), `Created service account ${created.name}.`);
    },
  }));
}

async function confirmDelete(view) {
  const { org, name } = view.params;
  const keys = await get(path`/service-accounts/${org}/${name}/api-keys`);
  const doomed = keys.map((k) => `${k.id} (${k.description})`);
  const deleted = await dialog({
    title: `Delete ${name}?`,
    intro: [el('p', { text: keys.length ? `Deleting it revokes its ${keys.length} active keys at once:` : 'It has no active keys.' }),
      list(doomed), el('p', { text: 'This cannot be undone.' })],
    submit: `Delete ${name}`,
    danger: true,
    onSubmit: () => call('DELETE', path`/service-accounts/${org}/${name}`),
  });
  if (deleted) view.go(route('orgs', org, 'accounts'), `Deleted ${name}; revoked ${deleted.revoked_keys ?? 0} keys.`);
}

export async function accountPage(view) {
  const { org, name } = view.params;
  pageHeader(view, `Service account ${name}`);
  const account = await get(path`/service-accounts/${org}/${name}`);
  view.section.append(accountLinks(org, name), el('h2', { text: 'Edit' }), form({
    label: `Edit ${name}`,
    fields: [
      { name: 'description', label: 'Description', value: account.description ?? '' },
      { name: 'privilege', label: 'Privilege', type: 'select', options: PRIVILEGES, value: account.privilege },
    ],
    submit: 'Save',
    onSubmit: async (values) => {
      await call('PATCH', path`/service-accounts/${org}/${name}`, values);
      view.go(route('orgs', org, 'accounts', name), `Saved ${name}.`);
    },
  }), el('h2', { text: 'Delete' }),
  el('button', { type: 'button', class: 'danger', text: `Delete ${name}…`, onclick: () => confirmDelete(view).catch(view.failed) }));
}
