import { liveStream } from './api.js';
import * as overview from './overview.js';
import * as bindings from './bindings.js';
import * as deadLetters from './dead-letters.js';

const pages = { overview, bindings, 'dead-letters': deadLetters };
const main = document.getElementById('page');
const liveText = document.getElementById('live-text');
const liveBox = document.getElementById('live');

const live = liveStream((state) => {
  liveBox.dataset.state = state;
  liveText.textContent = state === 'live' ? 'live' : state === 'closed' ? 'disconnected' : 'reconnecting…';
});

let current;

function pageOf(path) {
  const name = path.replace(/\/+$/, '').split('/')[2] ?? 'overview';
  return pages[name] ? name : 'overview';
}

function show(path) {
  const name = pageOf(path);
  current?.();
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.page === name);
  document.title = `${name === 'dead-letters' ? 'Dead letters' : name[0].toUpperCase() + name.slice(1)} · StokCerdas console`;
  main.replaceChildren();
  main.dataset.page = name;
  current = pages[name].mount(main, { live, params: new URLSearchParams(location.search), navigate });
}

function navigate(url) {
  history.pushState(null, '', url);
  show(new URL(url, location.href).pathname);
}

document.addEventListener('click', (e) => {
  const a = e.target.closest('a[href^="/ui"]');
  if (!a || e.metaKey || e.ctrlKey || e.shiftKey || a.target) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
});
addEventListener('popstate', () => show(location.pathname));
show(location.pathname);
