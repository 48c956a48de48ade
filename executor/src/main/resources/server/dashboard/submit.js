// A new build: build_params pasted or uploaded as JSON or YAML, checked with a dry run, then queued.
import {call, ApiError} from './api.js';
import {clear, el} from './dom.js';
import {load as loadYaml} from './vendor/js-yaml.mjs';

export async function submitPage(main, signal) {
  const text = el('textarea', {id: 'document', rows: 22, spellcheck: 'false',
    placeholder: '{"source": {...}, "target": {...}} or the same as YAML'});
  const file = el('input', {type: 'file', id: 'upload', accept: '.json,.yaml,.yml,application/json,text/yaml'});
  const password = el('input', {type: 'password', id: 'registry-password', autocomplete: 'off'});
  const check = el('button', {type: 'button', id: 'check', text: 'Check'});
  const submit = el('button', {type: 'button', id: 'submit', class: 'primary', text: 'Check and submit'});
  const result = el('div', {id: 'submit-result'});
  main.append(el('h2', {text: 'New build'}),
    el('p', {class: 'note', text: 'The build command\'s build_params document, as JSON or YAML (YAML is turned into '
      + 'JSON here, in the browser; problems are then placed at their line in that JSON, shown below). It is '
      + 'checked with a dry run before it is queued.'}),
    el('p', {}, el('label', {}, 'Upload a file ', file)), text,
    el('p', {}, el('label', {}, 'Registry password (optional, sent as registry_password) ', password)),
    el('p', {class: 'toolbar'}, check, ' ', submit), result);

  file.addEventListener('change', async () => {
    if (file.files.length) text.value = await file.files[0].text();
  });
  const run = async queue => {
    clear(result);
    check.disabled = submit.disabled = true;
    try {
      const body = requestBody(text.value, password.value);
      if (body.problem) {
        result.append(problems(body.problem, body.sent, body.note));
        return;
      }
      try {
        await call('POST', '/builds?dry_run=true', {body: body.sent, signal});
      } catch (e) {
        if (e instanceof ApiError) {
          result.append(problems(e.problem, body.sent, body.note));
          return;
        }
        throw e;
      }
      if (!queue) {
        result.append(el('p', {class: 'ok', id: 'check-ok', text: 'The document is valid.'}));
        return;
      }
      const accepted = (await call('POST', '/builds', {body: body.sent, signal})).data;
      location.hash = '#/builds/' + accepted.id;
    } catch (e) {
      result.append(el('p', {class: 'problem', text: String(e.message || e)}));
    } finally {
      check.disabled = submit.disabled = false;
    }
  };
  check.addEventListener('click', () => run(false));
  submit.addEventListener('click', () => run(true));
}

/**
 * What is sent: JSON as it was pasted (so the server's lines and columns are the editor's), YAML as JSON. A
 * password given beside the document wraps it as {"build_params", "registry_password"}.
 */
function requestBody(source, password) {
  let sent = source;
  let note = null;
  if (!looksLikeJson(source)) {
    let parsed;
    try {
      parsed = loadYaml(source);
    } catch (e) {
      const mark = e.mark || {};
      return {problem: {title: 'Not valid YAML', detail: 'The document cannot be read as YAML.', errors: [{
        path: '$', line: (mark.line ?? 0) + 1, column: (mark.column ?? 0) + 1, message: e.reason || e.message}]},
      sent: source};
    }
    sent = JSON.stringify(parsed, null, 2);
    note = 'The YAML document was sent as this JSON:';
  }
  if (password) {
    const params = JSON.parse(sent);
    sent = JSON.stringify({build_params: params, registry_password: password}, null, 2);
    note = 'The document was sent wrapped, with the registry password (masked here):';
  }
  return {sent, note};
}

function looksLikeJson(source) {
  return /^\s*[{[]/.test(source);
}

/** The problems, then the document sent with each problem's line marked and its column pointed at. */
function problems(problem, sent, note) {
  const box = el('div', {class: 'problems'});
  const lines = (sent || '').split('\n');
  box.append(el('div', {class: 'problem', role: 'alert'}, el('strong', {text: problem.title || 'Error'}), ' ',
    problem.detail || ''));
  const list = el('ul', {class: 'errors', id: 'problems'});
  const marked = new Map();
  for (const e of problem.errors || []) {
    list.append(el('li', {class: 'error-entry'},
      e.line ? el('span', {class: 'at', text: 'line ' + e.line + ', column ' + e.column}) : null, e.line ? ' ' : null,
      el('code', {text: e.path}), ': ', e.message));
    if (e.line) marked.set(e.line, [...(marked.get(e.line) || []), e]);
  }
  box.append(list);
  if (marked.size) {
    if (note) box.append(el('p', {class: 'note', text: note}));
    const listing = el('ol', {class: 'listing', id: 'listing'});
    lines.forEach((line, i) => {
      const n = i + 1;
      const here = marked.get(n);
      const shown = note && note.includes('password') ? line.replace(/("registry_password":\s*)".*"/,
        '$1"********"') : line;
      const item = el('li', {class: here ? 'marked' : null, 'data-line': n}, el('code', {text: shown || ' '}));
      for (const e of here || []) {
        item.append(el('div', {class: 'caret'}, el('code', {text: ' '.repeat(Math.max(0, e.column - 1)) + '^ '}),
          e.message));
      }
      listing.append(item);
    });
    box.append(listing);
  }
  return box;
}
