// Who is signed in. The token lives in this tab's sessionStorage only (never localStorage, a cookie or a URL);
// signing out removes it. Its claims are decoded for display only: the API decides what the token may do.

const TOKEN = 'keyledger.console.token';
const PENDING = 'keyledger.console.oidc';
const ORG_GROUP = /^org:([^:]+):(admin|member)$/;

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function signIn(jwt) {
  const value = jwt.trim().replace(/^Bearer\s+/i, '');
  claimsOf(value); // refuses what is not a JWT, before it is kept
  sessionStorage.setItem(TOKEN, value);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(PENDING);
}

function base64urlDecode(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

function claimsOf(jwt) {
  const parts = jwt.split('.');
  try {
    if (parts.length !== 3) throw new Error('three parts');
    return JSON.parse(base64urlDecode(parts[1]));
  } catch {
    throw new Error('This is not a JWT (header.payload.signature). Paste the access token itself.');
  }
}

/** The signed-in person: subject, expiry, orgs with roles (from the groups claim) and service-wide groups. */
export function person() {
  const jwt = token();
  if (!jwt) return null;
  const claims = claimsOf(jwt);
  const groups = Array.isArray(claims.groups) ? claims.groups.map(String) : [];
  const orgs = new Map();
  for (const group of groups) {
    const match = ORG_GROUP.exec(group);
    if (match && orgs.get(match[1]) !== 'admin') orgs.set(match[1], match[2]);
  }
  return { subject: String(claims.sub ?? 'unknown'), expires: claims.exp, groups, orgs,
    auditor: groups.includes('keyledger:auditor') };
}

// --- OIDC: authorization code with PKCE (S256), all in the browser ---------------------------------------

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri() {
  return `${location.origin}/console/`;
}

async function discover(oidc) {
  const response = await fetch(oidc.discovery_url, { referrerPolicy: 'no-referrer', credentials: 'omit' });
  if (!response.ok) throw new Error(`The issuer's discovery document answered ${response.status}`);
  return response.json();
}

/** Sends the browser to the issuer; the verifier and state wait in sessionStorage for the way back. */
export async function startOidc(oidc, returnTo) {
  const discovery = await discover(oidc);
  const verifier = randomText();
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomText();
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, tokenEndpoint: discovery.token_endpoint,
    clientId: oidc.client_id, returnTo }));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({ response_type: 'code', client_id: oidc.client_id, redirect_uri: redirectUri(),
    scope: 'openid', state, code_challenge: challenge, code_challenge_method: 'S256' }).toString();
  location.assign(url.toString());
}

/**
 * On the way back from the issuer (?code=…&state=…): trades the code for the access token, then takes the code out
 * of the address bar. Answers the route to show, or null when this load is not a sign-in answer.
 */
export async function finishOidc() {
  const answer = new URLSearchParams(location.search);
  if (!answer.has('code') && !answer.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo || '#/'}`);
  if (answer.has('error')) throw new Error(`The issuer refused the sign-in: ${answer.get('error')}`);
  if (!pending || answer.get('state') !== pending.state) {
    throw new Error('This sign-in answer does not belong to a sign-in started here; start again.');
  }
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST', credentials: 'omit', referrerPolicy: 'no-referrer',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: answer.get('code'),
      redirect_uri: redirectUri(), client_id: pending.clientId, code_verifier: pending.verifier }),
  });
  const tokens = await response.json().catch(() => ({}));
  if (!response.ok || !tokens.access_token) {
    throw new Error(`The issuer did not give an access token (${tokens.error_description || tokens.error || response.status})`);
  }
  signIn(tokens.access_token);
  return pending.returnTo || '#/';
}
