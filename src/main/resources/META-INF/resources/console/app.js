// The console's entry point: hash routes (#/orgs/acme/accounts/ci/keys), so the service needs no fallback route,
// and each navigation renders its page afresh: nothing of the page before (a key value shown once) is kept.

import { onUnauthorized } from './api.js';
import { el, describe, route } from './ui.js';
import { finishOidc, person, signOut } from './session.js';
import { signInPage } from './pages/signin.js';
import { orgsPage, accountsPage, accountPage } from './pages/accounts.js';
import { keysPage, asOfPage } from './pages/keys.js';
import { historyPage, policyPage, reportPage, ledgerPage } from './pages/audit.js';

const ROUTES = [
  ['signin', signInPage],
  ['', orgsPage],
  ['ledger', ledgerPage],
  ['orgs/:org/accounts', accountsPage],
  ['orgs/:org/accounts/:name', accountPage],
  ['orgs/:org/accounts/:name/keys', keysPage],
  ['orgs/:org/accounts/:name/history', historyPage],
  ['orgs/:org/accounts/:name/keys/:id/history', historyPage],
  ['orgs/:org/accounts/:name/as-of', asOfPage],
  ['orgs/:org/as-of', asOfPage],
  ['orgs/:org/policy', policyPage],
  ['orgs/:org/report', reportPage],
];

const main = document.getElementById('main');
const banner = document.getElementById('banner');
const noticeBox = document.getElementById('notice');
let pendingNotice = '';
let rendered = 0;

function match(hash) {
  const [pathPart, queryPart = ''] = hash.replace(/^#\/?/, '').split('?');
  const segments = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  for (const [pattern, page] of ROUTES) {
    const names = pattern.split('/').filter(Boolean);
    if (names.length !== segments.length) continue;
    const params = {};
    if (names.every((name, i) => (name.startsWith(':') ? ((params[name.slice(1)] = segments[i]), true) : name === segments[i]))) {
      return { page, params, query: new URLSearchParams(queryPart) };
    }
  }
  return null;
}

export function showBanner(text) {
  banner.textContent = text;
  banner.hidden = !text;
}

/** Navigates, with a line to announce on the next page. */
export function go(hash, notice = '') {
  pendingNotice = notice;
  if (location.hash === hash) render();
  else location.hash = hash;
}

function topNav(who) {
  const nav = document.getElementById('top-nav');
  nav.replaceChildren();
  if (!who) return;
  nav.append(...[el('a', { href: '#/', text: 'Orgs' }), who.auditor && el('a', { href: route('ledger'), text: 'Ledger' }),
    el('span', { class: 'who', text: `Signed in as ${who.subject}` }),
    el('button', { type: 'button', text: 'Sign out', onclick: () => { signOut(); go('#/signin', 'Signed out: the token is forgotten.'); } }),
  ].filter(Boolean));
}

async function render() {
  showBanner('');
  noticeBox.textContent = pendingNotice;
  pendingNotice = '';
  let who = null;
  try {
    who = person();
  } catch {
    signOut();
  }
  const found = match(location.hash || '#/');
  const page = !who ? signInPage : found ? found.page : null;
  topNav(who);
  const section = el('section', { class: 'page' });
  main.replaceChildren(section);
  if (!page) {
    section.append(el('h1', { text: 'Not found' }), el('p', {}, 'No console page here. ', el('a', { href: '#/', text: 'Back to your orgs' })));
    return;
  }
  const view = { section, params: found?.params || {}, query: found?.query || new URLSearchParams(), person: who, go, showBanner,
    say: (text) => { noticeBox.textContent = text; },
    failed: (error) => showBanner(describe(error)) };
  try {
    await page(view);
  } catch (error) {
    view.failed(error);
  }
  const heading = section.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    document.title = `${heading.textContent} · keyledger console`;
    // after a navigation, keyboard and screen-reader users start at the new page's heading
    if (rendered > 0) heading.focus();
  }
  rendered += 1;
}

onUnauthorized((error) => {
  signOut();
  go('#/signin', `Signed out: ${error.message}. Sign in again.`);
});

document.getElementById('skip').addEventListener('click', () => main.focus());
window.addEventListener('hashchange', render);

finishOidc()
  .then((returnTo) => {
    if (returnTo) go(returnTo, 'Signed in with your identity provider.');
    else render();
  })
  .catch((error) => {
    pendingNotice = '';
    render().then(() => showBanner(error.message));
  });
