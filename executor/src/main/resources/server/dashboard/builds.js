// The caller's builds, newest first, refreshed while any of them is queued or running.
import {get, poll} from './api.js';
import {clear, el, time, duration, status} from './dom.js';

const STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const REFRESH_MS = 2000;

export async function buildsPage(main, signal) {
  const filter = el('select', {id: 'status-filter'}, el('option', {value: '', text: 'any status'}),
    STATES.map(s => el('option', {value: s, text: s})));
  const rows = el('tbody', {id: 'builds'});
  const more = el('button', {type: 'button', id: 'more', hidden: true, text: 'Older builds'});
  main.append(el('h2', {text: 'Builds'}),
    el('p', {class: 'toolbar'}, el('label', {}, 'Status ', filter), ' ', el('a', {href: '#/new', text: 'New build'})),
    el('table', {class: 'list'}, el('thead', {}, el('tr', {}, ['Status', 'Images', 'Platforms', 'Submitted',
      'Finished', 'Duration', 'Submitted by'].map(h => el('th', {text: h})))), rows),
    more);

  let view = new AbortController();
  const load = () => {
    view.abort();
    view = new AbortController();
    const mine = AbortSignal.any([signal, view.signal]);
    const query = filter.value ? '&status=' + encodeURIComponent(filter.value) : '';
    let first = [];
    let older = [];
    let cursor = null;
    const render = () => {
      clear(rows);
      for (const b of [...first, ...older]) rows.append(row(b));
      if (!first.length && !older.length) rows.append(el('tr', {}, el('td', {colspan: 7, text: 'No builds.'})));
      more.hidden = !cursor;
    };
    more.onclick = async () => {
      const page = (await get('/builds?limit=20' + query + '&cursor=' + encodeURIComponent(cursor), {signal: mine}))
        .data;
      older = older.concat(page.items);
      cursor = page.next_cursor;
      render();
    };
    // the first page is polled (304 while unchanged); older pages are read once, when asked for
    poll('/builds?limit=20' + query, REFRESH_MS, mine, page => {
      first = page.items;
      if (!older.length) cursor = page.next_cursor;
      render();
    });
  };
  filter.addEventListener('change', load);
  load();
}

function row(b) {
  const images = (b.requested || []).map(i => i.image + ':' + i.tag);
  return el('tr', {class: 'build', 'data-id': b.id},
    el('td', {}, status(b.status), b.dry_run ? el('span', {class: 'tag', text: 'dry run'}) : null),
    el('td', {}, el('a', {href: '#/builds/' + b.id, text: images.length ? images.join(', ') : b.id})),
    el('td', {text: platforms(b)}),
    el('td', {text: time(b.created_at)}),
    el('td', {text: time(b.finished_at)}),
    el('td', {text: duration(b.started_at, b.finished_at)}),
    el('td', {text: b.owner}));
}

function platforms(b) {
  const all = new Set();
  for (const i of b.requested || []) for (const p of i.platforms || []) all.add(p);
  return all.size ? [...all].join(', ') : 'server default';
}
