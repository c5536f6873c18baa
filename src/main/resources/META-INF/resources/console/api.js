// The public /api/v2 API, with the signed-in person's token. Failures become ApiError with the API's own
// message and per-field errors; a 401 ends the session (the app sends the person to sign in again).

import { token } from './session.js';

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.message || `The API answered ${status}`);
    this.status = status;
    this.fieldErrors = body?.errors || {};
    this.retryAfter = retryAfter;
  }
}

let unauthorized = () => {};

/** What to do when the API refuses the token (expired, revoked issuer key, …). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

async function send(method, path, body, accept) {
  const headers = { Accept: accept, Authorization: `Bearer ${token()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/api/v2${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (error) {
    throw new ApiError(0, { message: `The service did not answer (${error.message})` });
  }
  if (response.ok) return response;
  const problem = await response.json().catch(() => ({ message: `The API answered ${response.status}` }));
  const error = new ApiError(response.status, problem, response.headers.get('Retry-After'));
  if (response.status === 401) unauthorized(error);
  throw error;
}

/** A JSON call: the parsed answer. */
export async function call(method, path, body) {
  const response = await send(method, path, body, 'application/json');
  return response.json();
}

export const get = (path) => call('GET', path);

/** A download: the answer as a Blob (the credential report's CSV). */
export async function download(path, accept) {
  return (await send('GET', path, undefined, accept)).blob();
}
