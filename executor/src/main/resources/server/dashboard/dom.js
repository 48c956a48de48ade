// Every text from the server reaches the page through textContent, never as markup.

/** An element with attributes (class, href, ...) and children (nodes or text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, {dateStyle: 'short', timeStyle: 'medium'});
}

/** From start to end (or now, while running), as 1h 2m 3s. */
export function duration(start, end) {
  if (!start) return '—';
  const ms = (end ? new Date(end) : new Date()) - new Date(start);
  let s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  s %= 60;
  return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + s + 's';
}

export function status(value) {
  return el('span', {class: 'status status-' + value, text: value});
}

/** A button that puts text on the clipboard. */
export function copyButton(text, what) {
  const button = el('button', {type: 'button', class: 'copy', title: 'Copy ' + what, text: 'Copy'});
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Copy failed';
    }
    setTimeout(() => { button.textContent = 'Copy'; }, 1500);
  });
  return button;
}

/** A problem+json answer as a list: the detail, then each field's path, line, column and message. */
export function problemView(problem) {
  const box = el('div', {class: 'problem', role: 'alert'},
    el('strong', {text: problem.title || 'Error'}), ' ', problem.detail || '');
  if (Array.isArray(problem.errors) && problem.errors.length) {
    box.append(el('ul', {class: 'errors'}, problem.errors.map(e => el('li', {class: 'error-entry'},
      e.line ? el('span', {class: 'at', text: 'line ' + e.line + ', column ' + e.column}) : null,
      e.line ? ' ' : null,
      el('code', {text: e.path}), ': ', e.message))));
  }
  return box;
}
