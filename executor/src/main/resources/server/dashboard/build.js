// One build: its state, images with digests, error, labels, cancel button and live log.
import {call, get, poll, ApiError} from './api.js';
import {clear, el, time, duration, status, copyButton, problemView} from './dom.js';
import {logView} from './log.js';

const REFRESH_MS = 1500;

export async function buildPage(main, signal, id) {
  const summary = el('div', {id: 'build-summary'});
  const actions = el('p', {class: 'toolbar'});
  const message = el('div', {id: 'build-message'});
  main.append(el('h2', {}, 'Build ', el('code', {text: id})), actions, message, summary);
  let build = null;
  const cancel = el('button', {type: 'button', id: 'cancel', class: 'danger', text: 'Cancel build'});
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    clear(message);
    try {
      render((await call('DELETE', '/builds/' + id, {signal})).data);
    } catch (e) {
      if (e instanceof ApiError) message.append(problemView(e.problem));
      cancel.disabled = false;
    }
  });
  actions.append(cancel);
  const render = b => {
    build = b;
    cancel.hidden = ['succeeded', 'failed', 'cancelled'].includes(b.status);
    clear(summary).append(details(b));
  };
  render((await get('/builds/' + id, {signal})).data);
  // the end of the log is the end of the build: show its final state at once
  const refreshOnce = async () => render((await get('/builds/' + id, {signal})).data);
  main.append(logView('/builds/' + id + '/log', signal, () => refreshOnce()));
  poll('/builds/' + id, REFRESH_MS, signal, render, () => !build || !build.finished_at);
}

function details(b) {
  const facts = el('dl', {class: 'facts'});
  const fact = (name, value) => facts.append(el('dt', {text: name}), el('dd', {}, value));
  fact('Status', el('span', {id: 'build-status'}, status(b.status),
    b.phase ? ' (' + b.phase + ')' : '', b.cancel_requested ? ' — cancelling' : '',
    b.queue_position ? ' — number ' + b.queue_position + ' in the queue' : ''));
  fact('Submitted by', b.owner);
  fact('Submitted', time(b.created_at));
  fact('Started', time(b.started_at));
  fact('Finished', time(b.finished_at));
  fact('Duration', duration(b.started_at, b.finished_at));
  fact('Build hosts', (b.build_host || []).join(', ') || '—');
  fact('Registry', b.registry || '—');
  if (b.dry_run) fact('Kind', 'dry run: nothing is built or pushed');
  const out = el('div', {}, facts);
  if (b.error) {
    out.append(el('div', {class: 'problem', id: 'build-error', role: 'alert'},
      el('strong', {text: b.error.code}), ' ', b.error.message));
  }
  out.append(el('h3', {text: 'Requested'}), el('ul', {id: 'requested'}, (b.requested || []).map(r =>
    el('li', {}, el('code', {text: r.image + ':' + r.tag}), ' ',
      r.platforms ? r.platforms.join(', ') : "(the server's platforms)"))));
  const labels = Object.entries(b.labels || {});
  if (labels.length) {
    out.append(el('h3', {text: 'Labels'}), el('table', {class: 'list', id: 'labels'}, el('tbody', {},
      labels.map(([k, v]) => el('tr', {}, el('td', {}, el('code', {text: k})), el('td', {text: v}))))));
  }
  if ((b.images || []).length) out.append(el('h3', {text: b.dry_run ? 'Would build' : 'Pushed'}), images(b));
  return out;
}

function images(b) {
  return el('table', {class: 'list', id: 'images'}, el('thead', {}, el('tr', {}, ['Reference', 'Platform', 'Digest',
    'Pinned'].map(h => el('th', {text: h})))), el('tbody', {}, b.images.map(i => {
    const pinned = i.digest ? i.reference + '@' + (i.manifest_list || i.digest) : i.reference;
    return el('tr', {class: 'image'},
      el('td', {}, el('code', {text: i.reference}), ' ', copyButton(i.reference, 'the reference')),
      el('td', {text: i.platform || (i.platforms || []).join(', ')}),
      el('td', {}, i.digest ? el('code', {class: 'digest', text: i.digest}) : '—', ' ',
        i.digest ? copyButton(i.digest, 'the digest') : null,
        i.manifest_list ? el('div', {class: 'note'}, 'manifest list ', el('code', {text: i.manifest_list})) : null),
      el('td', {}, i.digest ? copyButton(pinned, 'the reference with its digest') : null));
  })));
}
