// The dashboard's entry point: sign-in, and the page for the address's #fragment.
import {credential, signIn, signOut, get, whenUnauthorized, ApiError} from './api.js';
import {buildsPage} from './builds.js';
import {buildPage} from './build.js';
import {submitPage} from './submit.js';
import {deploymentsPage, deploymentPage} from './deployments.js';
import {hostsPage} from './hosts.js';
import {clear, el, problemView} from './dom.js';

const main = document.getElementById('main');
const routes = [
  [/^#\/builds\/([\w-]+)$/, buildPage],
  [/^#\/new$/, submitPage],
  [/^#\/deployments$/, deploymentsPage],
  [/^#\/deployments\/([\w-]+)$/, deploymentPage],
  [/^#\/hosts$/, hostsPage],
  [/^(#\/builds)?$/, buildsPage],
];
// the page shown now; aborting it stops its polling and log streams
let current = new AbortController();

function show() {
  current.abort();
  current = new AbortController();
  clear(main);
  const signedIn = credential() !== null;
  document.getElementById('sign-in').hidden = signedIn;
  document.getElementById('nav').hidden = !signedIn;
  main.hidden = !signedIn;
  if (!signedIn) {
    document.getElementById('credential').focus();
    return;
  }
  const c = credential();
  document.getElementById('who').textContent = c.kind === 'bearer' ? 'signed in with a bearer token'
    : 'signed in with an API key';
  const hash = location.hash;
  for (const [pattern, page] of routes) {
    const m = hash.match(pattern);
    if (m) {
      page(main, current.signal, ...m.slice(1).filter(Boolean)).catch(e => {
        if (!current.signal.aborted) main.append(e instanceof ApiError ? problemView(e.problem) : el('p', {
          class: 'problem', text: String(e)}));
      });
      return;
    }
  }
  main.append(el('p', {class: 'problem', text: 'No such page.'}));
}

document.getElementById('sign-in-form').addEventListener('submit', async event => {
  event.preventDefault();
  const kind = document.getElementById('credential-kind').value;
  const input = document.getElementById('credential');
  const error = document.getElementById('sign-in-error');
  error.textContent = '';
  signIn(kind, input.value.trim());
  try {
    await get('/builds?limit=1');
    input.value = '';
    show();
  } catch (e) {
    signOut();
    error.textContent = e instanceof ApiError && e.status === 401 ? 'The server does not accept this credential.'
      : 'Cannot reach the server: ' + e.message;
  }
});

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  location.hash = '';
  show();
});

whenUnauthorized(() => {
  signOut();
  show();
  document.getElementById('sign-in-error').textContent = 'The server no longer accepts the credential; sign in again.';
});

window.addEventListener('hashchange', show);
show();
