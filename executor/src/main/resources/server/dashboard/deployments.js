// Deployments of bundled blueprints: the list, and one deployment's state, outputs and log.
import {call, get, poll, ApiError} from './api.js';
import {clear, el, time, duration, status, problemView} from './dom.js';
import {logView} from './log.js';

const REFRESH_MS = 2000;

export async function deploymentsPage(main, signal) {
  const rows = el('tbody', {id: 'deployments'});
  const more = el('button', {type: 'button', hidden: true, text: 'Older deployments'});
  main.append(el('h2', {text: 'Deployments'}), el('table', {class: 'list'}, el('thead', {}, el('tr', {},
    ['Status', 'Blueprint', 'Submitted', 'Finished', 'Duration'].map(h => el('th', {text: h})))), rows), more);
  let first = [];
  let older = [];
  let cursor = null;
  const render = () => {
    clear(rows);
    for (const d of [...first, ...older]) {
      rows.append(el('tr', {class: 'deployment'}, el('td', {}, status(d.status)),
        el('td', {}, el('a', {href: '#/deployments/' + d.id, text: d.blueprint})),
        el('td', {text: time(d.created_at)}), el('td', {text: time(d.finished_at)}),
        el('td', {text: duration(d.started_at, d.finished_at)})));
    }
    if (!rows.children.length) rows.append(el('tr', {}, el('td', {colspan: 5, text: 'No deployments.'})));
    more.hidden = !cursor;
  };
  more.addEventListener('click', async () => {
    const page = (await get('/deployments?limit=20&cursor=' + encodeURIComponent(cursor), {signal})).data;
    older = older.concat(page.items);
    cursor = page.next_cursor;
    render();
  });
  poll('/deployments?limit=20', REFRESH_MS, signal, page => {
    first = page.items;
    if (!older.length) cursor = page.next_cursor;
    render();
  });
}

export async function deploymentPage(main, signal, id) {
  const summary = el('div', {id: 'deployment-summary'});
  const message = el('div');
  const cancel = el('button', {type: 'button', class: 'danger', id: 'cancel', text: 'Cancel deployment'});
  main.append(el('h2', {}, 'Deployment ', el('code', {text: id})), el('p', {class: 'toolbar'}, cancel), message,
    summary);
  let deployment = null;
  const render = d => {
    deployment = d;
    // DELETE cancels a deployment that runs, and undeploys one that is deployed
    cancel.hidden = !['queued', 'running', 'succeeded', 'undeploy_failed'].includes(d.status);
    cancel.textContent = ['succeeded', 'undeploy_failed'].includes(d.status) ? 'Undeploy' : 'Cancel deployment';
    clear(summary).append(details(d));
  };
  cancel.addEventListener('click', async () => {
    clear(message);
    try {
      const d = (await call('DELETE', '/deployments/' + id, {signal})).data;
      render(d);
      if (d.status === 'undeploying') {
        poll('/deployments/' + id, REFRESH_MS, signal, render, () => deployment.status === 'undeploying');
      }
    } catch (e) {
      if (e instanceof ApiError) message.append(problemView(e.problem));
    }
  });
  render((await get('/deployments/' + id, {signal})).data);
  const refreshOnce = async () => render((await get('/deployments/' + id, {signal})).data);
  main.append(logView('/deployments/' + id + '/log', signal, () => refreshOnce()));
  poll('/deployments/' + id, REFRESH_MS, signal, render,
    () => !deployment || !deployment.finished_at || deployment.status === 'undeploying');
}

function details(d) {
  const facts = el('dl', {class: 'facts'});
  const fact = (name, value) => facts.append(el('dt', {text: name}), el('dd', {}, value));
  fact('Status', status(d.status));
  fact('Blueprint', d.blueprint);
  fact('Deployment state', d.deployment_status || '—');
  fact('Submitted', time(d.created_at));
  fact('Finished', time(d.finished_at));
  fact('Duration', duration(d.started_at, d.finished_at));
  const out = el('div', {}, facts);
  if (d.error) {
    out.append(el('div', {class: 'problem', role: 'alert'}, el('strong', {text: d.error.code}), ' ', d.error.message));
  }
  const outputs = Object.entries(d.outputs || {});
  out.append(el('h3', {text: 'Outputs'}));
  out.append(outputs.length ? el('table', {class: 'list', id: 'outputs'}, el('tbody', {}, outputs.map(([k, v]) =>
    el('tr', {}, el('td', {}, el('code', {text: k})), el('td', {}, el('pre', {text: typeof v === 'string' ? v
      : JSON.stringify(v, null, 2)})))))) : el('p', {text: 'None yet.'}));
  return out;
}
