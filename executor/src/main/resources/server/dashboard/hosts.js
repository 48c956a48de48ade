// The server's build hosts: their probes, platforms, and what they build now.
import {get} from './api.js';
import {clear, el, time} from './dom.js';

const REFRESH_MS = 5000;

export async function hostsPage(main, signal) {
  const list = el('div', {id: 'hosts'}, el('p', {text: 'Probing the build hosts…'}));
  main.append(el('h2', {text: 'Build hosts'}), list);
  for (;;) {
    const hosts = (await get('/hosts', {signal})).data.items;
    clear(list).append(table(hosts));
    await new Promise(resolve => setTimeout(resolve, REFRESH_MS));
    if (signal.aborted) return;
  }
}

function table(hosts) {
  return el('table', {class: 'list'}, el('thead', {}, el('tr', {}, ['Host', 'Probe', 'Engine', 'Platforms',
    'Building', 'Your units'].map(h => el('th', {text: h})))), el('tbody', {}, hosts.map(h => {
    const p = h.probe;
    return el('tr', {class: 'host'},
      el('td', {}, el('code', {text: h.docker_host})),
      el('td', {}, el('span', {class: 'status status-' + (p.status === 'reachable' ? 'succeeded' : 'failed'),
        text: p.status}), el('div', {class: 'note', text: 'at ' + time(p.probed_at)}),
      p.error ? el('div', {class: 'problem', text: p.error}) : null),
      el('td', {text: p.engine_version ? 'Docker ' + p.engine_version + ' (' + p.engine_platform + ')' : '—'}),
      el('td', {}, p.native_platforms.join(', ') || '—',
        p.emulated_platforms.length ? el('div', {class: 'note', text: 'emulates ' + p.emulated_platforms.join(', ')})
          : null),
      el('td', {class: 'running', text: h.running + ' of ' + h.max_concurrent_builds}),
      el('td', {}, h.units.length ? el('ul', {}, h.units.map(u => el('li', {class: 'unit-running'},
        el('a', {href: '#' + u.job_link, text: u.label}), ' since ' + time(u.since)))) : '—'));
  })));
}
