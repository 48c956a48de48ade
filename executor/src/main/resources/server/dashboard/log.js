// A job's log, followed live: one row per line; the [prefixes] of a line (the operation, the image and platform
// of a unit, a host) go to a column of their own, each coloured by its text so one unit's lines stand out.
import {followLog} from './api.js';
import {el} from './dom.js';

const PREFIXES = /^((?:\[[^\]]+\] ?)+)(.*)$/s;
const ONE = /\[([^\]]+)\]/g;
const COLOURS = 8;

/** A log panel for path (/builds/ID/log); it follows the log until the job ends; onEnd gets the end event. */
export function logView(path, signal, onEnd) {
  const body = el('tbody');
  const state = el('p', {class: 'log-state', id: 'log-state', text: 'following the log…'});
  const table = el('table', {class: 'log', id: 'log'}, el('thead', {}, el('tr', {},
    ['#', 'Time', 'Unit', 'Line'].map(h => el('th', {text: h})))), body);
  const panel = el('section', {class: 'log-panel'}, el('h3', {text: 'Log'}), state, el('div', {class: 'log-scroll'},
    table));
  const scroller = panel.querySelector('.log-scroll');
  followLog(path, {
    signal,
    onLine: line => {
      const atEnd = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 4;
      body.append(row(line));
      if (atEnd) scroller.scrollTop = scroller.scrollHeight;
    },
    onEnd: end => {
      state.textContent = 'the log is complete (' + end.status + ')';
      state.classList.add('complete');
      onEnd(end);
    },
  }).catch(e => {
    state.textContent = 'the log cannot be read: ' + e.message;
  });
  return panel;
}

function row(line) {
  const m = line.text.match(PREFIXES);
  const prefixes = m ? [...m[1].matchAll(ONE)].map(p => p[1]) : [];
  const text = m ? m[2] : line.text;
  return el('tr', {class: 'log-line', 'data-line': line.line},
    el('td', {class: 'num', text: line.line}),
    el('td', {class: 'time', text: line.time ? new Date(line.time).toLocaleTimeString() : ''}),
    el('td', {class: 'unit'}, prefixes.map(p => el('span', {class: 'prefix unit-' + colour(p), text: p}))),
    el('td', {class: 'text', text}));
}

function colour(prefix) {
  let h = 0;
  for (const c of prefix) h = (h * 31 + c.codePointAt(0)) >>> 0;
  return h % COLOURS;
}
