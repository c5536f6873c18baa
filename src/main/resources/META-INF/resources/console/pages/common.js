// What every page of an org shares: breadcrumbs, the org's own navigation, and how a part of a page loads.

import { el, route, problem } from '../ui.js';

const ORG_PAGES = [['accounts', 'Service accounts'], ['as-of', 'As of'], ['policy', 'Key policy'], ['report', 'Credential report']];

/** The page's heading, with breadcrumbs (Orgs › org › account) and the org's navigation when there is an org. */
export function pageHeader(view, title) {
  const { org, name } = view.params;
  const crumbs = [el('a', { href: '#/', text: 'Orgs' })];
  if (org) crumbs.push(el('a', { href: route('orgs', org, 'accounts'), text: org }));
  if (name) crumbs.push(el('a', { href: route('orgs', org, 'accounts', name), text: name }));
  view.section.append(el('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, el('ol', {}, crumbs.map((crumb) => el('li', {}, crumb)))));
  if (org) {
    const here = location.hash.split('?')[0];
    view.section.append(el('nav', { class: 'org-nav', 'aria-label': `Org ${org}` }, ORG_PAGES.map(([page, text]) => {
      const href = route('orgs', org, page);
      return el('a', { href, text, 'aria-current': href === here ? 'page' : undefined });
    })));
  }
  view.section.append(el('h1', { text: title }));
}

/** The links between an account's pages. */
export function accountLinks(org, name) {
  return el('nav', { class: 'account-nav', 'aria-label': `Account ${name}` },
    el('a', { href: route('orgs', org, 'accounts', name, 'keys'), text: 'Keys' }),
    el('a', { href: route('orgs', org, 'accounts', name, 'history'), text: 'History' }),
    el('a', { href: route('orgs', org, 'accounts', name, 'as-of'), text: 'As of' }),
    el('a', { href: route('orgs', org, 'accounts', name), text: 'Settings' }));
}

/**
 * A region that loads: "Loading…" until `fill()` answers the nodes to show, or the API's words when it fails.
 * Answers the region and a reload function.
 */
export function loading(label, fill) {
  const region = el('div', { class: 'region', 'aria-live': 'polite', 'aria-busy': 'true' });
  const reload = async () => {
    region.setAttribute('aria-busy', 'true');
    region.replaceChildren(el('p', { class: 'muted', text: `Loading ${label}…` }));
    try {
      region.replaceChildren(...[await fill()].flat());
    } catch (error) {
      region.replaceChildren(el('p', { class: 'form-alert', role: 'alert', text: problem(error) }));
    } finally {
      region.removeAttribute('aria-busy');
    }
  };
  reload();
  return { region, reload };
}

/** Whether the signed-in person is an admin of the org (for display: the API decides). */
export function isAdmin(view) {
  return view.person.orgs.get(view.params.org) === 'admin';
}
