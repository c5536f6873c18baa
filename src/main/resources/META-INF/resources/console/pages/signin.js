// Sign-in: OIDC (authorization code + PKCE) when the service is configured for it, and "paste a token" always.

import { el, form } from '../ui.js';
import { signIn, startOidc } from '../session.js';

async function signInConfig() {
  const response = await fetch('config.json', { cache: 'no-store', credentials: 'omit' });
  return response.ok ? response.json() : { oidc: null };
}

export async function signInPage(view) {
  const returnTo = location.hash && !location.hash.startsWith('#/signin') ? location.hash : '#/';
  view.section.append(el('h1', { text: 'Sign in' }));
  const { oidc } = await signInConfig();
  if (oidc) {
    view.section.append(el('h2', { text: 'With your identity provider' }),
      el('button', { type: 'button', class: 'primary', id: 'oidc-sign-in', text: 'Sign in with your identity provider',
        onclick: () => startOidc(oidc, returnTo).catch((error) => view.showBanner(error.message)) }));
  }
  view.section.append(el('h2', { text: 'Paste a token' }),
    el('p', { class: 'hint', text: 'A JWT the API trusts (aud keyledger, your groups). It stays in this tab only and is forgotten on sign-out.' }),
    form({
      label: 'Paste a token',
      fields: [{ name: 'token', label: 'Access token (JWT)', type: 'textarea', rows: 5 }],
      submit: 'Sign in',
      onSubmit: async ({ token }) => {
        signIn(token);
        view.go(returnTo, 'Signed in.');
      },
    }));
}
