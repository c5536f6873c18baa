// DOM helpers. API data only ever reaches the page as text (textContent, attributes): never as HTML.

let lastId = 0;
/** A fresh element id, for label/for and aria-describedby pairs. */
export function uid(prefix) {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

/** el('a', {href, text}, ...children): props "on<event>" add listeners, "text" sets textContent, the rest are attributes. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(...children.flat().filter((child) => child !== undefined && child !== null && child !== false));
  return node;
}

/** A path under /api/v2 with each interpolated value encoded as one segment or query value. */
export function path(strings, ...values) {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(values[i]) : ''), '');
}

/** A route link: href('#/orgs', org, 'accounts') with each segment encoded. */
export function route(...segments) {
  return '#/' + segments.map((segment) => encodeURIComponent(segment)).join('/');
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const UNITS = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];

/** "3 days ago" / "in 2 hours" for unix seconds. */
export function ago(seconds, now = Date.now() / 1000) {
  const delta = seconds - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size) return relative.format(Math.round(delta / size), unit);
  }
  return relative.format(Math.round(delta), 'second');
}

/** A time element: relative text, the exact UTC time in title and datetime. Empty/0 reads as `none`. */
export function time(seconds, none = 'never') {
  if (seconds === undefined || seconds === null || seconds === 0) return el('span', { class: 'muted', text: none });
  const exact = new Date(seconds * 1000).toISOString();
  return el('time', { datetime: exact, title: exact, text: ago(seconds) });
}

/** A table inside a focusable scroll region (narrow screens scroll it sideways). */
export function table(caption, columns, rows, empty = 'Nothing here yet.') {
  if (rows.length === 0) return el('p', { class: 'muted', text: empty });
  const head = el('tr', {}, columns.map(([label]) => el('th', { scope: 'col', text: label })));
  const body = rows.map((row) => el('tr', {}, columns.map(([, cell]) => el('td', {}, cell(row)))));
  const captionId = uid('caption');
  return el('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-labelledby': captionId },
    el('table', {}, el('caption', { id: captionId, text: caption }), el('thead', {}, head), el('tbody', {}, body)));
}

/** Label/value pairs as a description list; values are nodes or text. */
export function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', {}, value)]));
}

/** Text for an API failure: the API's own message, and what the person can do about it. */
export function describe(error) {
  const message = error.message || 'Something went wrong';
  switch (error.status) {
    case 403: return `You lack permission for this. The API said: ${message}`;
    case 429:
    case 503: return `${message}. Retry after ${error.retryAfter || 'a few'} s.`;
    default: return message;
  }
}

/** describe(), then each per-field error as "field: reason" (where no form field can hold them). */
export function problem(error, fields = Object.entries(error.fieldErrors || {})) {
  return [describe(error), ...fields.map(([name, reason]) => `${name}: ${reason}`)].join(' · ');
}

function field(spec) {
  const id = uid('field');
  const errorId = `${id}-error`;
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ');
  const common = { id, name: spec.name, 'aria-describedby': described };
  let input;
  if (spec.type === 'select') {
    input = el('select', common, spec.options.map(([value, text]) => el('option', { value, text, selected: value === spec.value })));
  } else if (spec.type === 'textarea') {
    input = el('textarea', { ...common, rows: spec.rows || 4, spellcheck: 'false' });
    input.value = spec.value || '';
  } else {
    input = el('input', { ...common, type: spec.type || 'text', step: spec.step, min: spec.min, autocomplete: 'off', inputmode: spec.inputmode });
    input.value = spec.value ?? '';
  }
  const error = el('p', { id: errorId, class: 'field-error' });
  const row = el('div', { class: 'field' }, el('label', { for: id, text: spec.label }), input,
    spec.hint && el('p', { id: hintId, class: 'hint', text: spec.hint }), error);
  return { row, input, error };
}

/**
 * A form whose failures are the API's words: `message` in the form's alert, each of `errors` next to its field.
 * onSubmit(values) gets every field's value as text; a thrown error is shown, anything else leaves the form as is.
 */
export function form({ label, fields = [], submit, danger = false, onSubmit, onCancel }) {
  const inputs = new Map(fields.map((spec) => [spec.name, field(spec)]));
  const alert = el('p', { class: 'form-alert', role: 'alert' });
  const button = el('button', { type: 'submit', class: danger ? 'danger' : 'primary', text: submit });
  const cancel = onCancel && el('button', { type: 'button', text: 'Cancel', onclick: onCancel });
  const node = el('form', { 'aria-label': label, novalidate: true },
    [...inputs.values()].map((f) => f.row), alert, el('div', { class: 'actions' }, button, cancel));
  const clear = () => {
    alert.textContent = '';
    for (const f of inputs.values()) {
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
  };
  const show = (error) => {
    const elsewhere = [];
    for (const [name, reason] of Object.entries(error.fieldErrors || {})) {
      const f = inputs.get(name);
      if (f) {
        f.error.textContent = reason;
        f.input.setAttribute('aria-invalid', 'true');
      } else {
        elsewhere.push([name, reason]);
      }
    }
    alert.textContent = problem(error, elsewhere);
    const invalid = node.querySelector('[aria-invalid]');
    if (invalid) invalid.focus();
  };
  node.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear();
    button.disabled = true;
    try {
      await onSubmit(Object.fromEntries([...inputs].map(([name, f]) => [name, f.input.value.trim()])));
    } catch (error) {
      show(error);
    } finally {
      button.disabled = false;
    }
  });
  return node;
}

/**
 * A modal dialog around a form (or a bare confirmation): resolves with what onSubmit returned (true when nothing),
 * or null when cancelled. Escape cancels; focus returns to where it was.
 */
export function dialog({ title, intro = [], fields = [], submit, danger = false, onSubmit = async () => true }) {
  return new Promise((resolve) => {
    const heading = el('h2', { id: uid('dialog'), text: title });
    const opener = document.activeElement;
    const box = el('dialog', { 'aria-labelledby': heading.id }, heading, intro);
    const finish = (result) => {
      resolve(result);
      if (box.open) box.close();
    };
    box.append(form({ label: title, fields, submit, danger, onCancel: () => finish(null),
      onSubmit: async (values) => finish((await onSubmit(values)) ?? true) }));
    box.addEventListener('close', () => {
      box.remove();
      resolve(null);
      if (opener && opener.isConnected) opener.focus();
    });
    document.body.append(box);
    box.showModal();
  });
}

/** A list of text items (what a confirmation will do). */
export function list(items) {
  return el('ul', {}, items.map((item) => el('li', { text: item })));
}

/** Splits "a b, c" into ["a", "b", "c"]; empty text is undefined (the field is left out). */
export function words(text) {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  return parts.length ? parts : undefined;
}

/** A datetime-local value as unix seconds; empty is undefined. Not a date: the text itself, for the API to refuse. */
export function seconds(text) {
  if (!text) return undefined;
  const millis = new Date(text).getTime();
  return Number.isNaN(millis) ? text : Math.floor(millis / 1000);
}

/** A whole number typed into a field, as a number; other text goes to the API as typed (its 400 names the field). */
export function whole(text) {
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** An object without its undefined values (optional fields left empty are not sent). */
export function defined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
