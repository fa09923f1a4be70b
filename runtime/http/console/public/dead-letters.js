import { h, replace, fmt } from './dom.js';
import { get, post } from './api.js';
import { confirmDialog } from './confirm.js';
import { jobPanel } from './job-panel.js';

const REASONS = ['retries-exhausted', 'non-retryable', 'handler-timeout', 'poison'];
const PAGE = 25;

export function mount(root, { live, params }) {
  const state = { queue: params.get('queue') ?? '', reason: params.get('reason') ?? '', type: params.get('type') ?? '', offset: 0, page: null, selected: new Set() };
  const queues = h('ul', { class: 'dlq-list' });
  const detail = h('div', { class: 'dlq-detail' });
  const error = h('p', { class: 'error', hidden: true });
  const jobs = jobPanel();
  const prefixNote = h('p', { class: 'muted small-text' });
  root.append(h('h2', { text: 'Dead letters' }), error, jobs.el, h('div', { class: 'dlq-layout' }, h('aside', { class: 'card' }, h('h3', { text: 'DLQs' }), prefixNote, queues), detail));

  const reason = h('select', { name: 'reason', on: { change: () => refilter() } }, h('option', { value: '', text: 'any reason' }), ...REASONS.map((r) => h('option', { value: r, text: r })));
  reason.value = state.reason;
  const type = h('input', { name: 'type', type: 'search', placeholder: 'event type, e.g. orders.#', value: state.type, on: { change: () => refilter() } });
  const summary = h('span', { class: 'muted' });
  const table = h('tbody');
  const all = h('input', { type: 'checkbox', title: 'select the whole page', on: { change: () => selectPage(all.checked) } });
  const buttons = {
    replaySel: h('button', { type: 'button', class: 'primary', dataset: { action: 'replay-selected' }, on: { click: () => act('replay', 'selected') } }),
    purgeSel: h('button', { type: 'button', class: 'danger', dataset: { action: 'purge-selected' }, on: { click: () => act('purge', 'selected') } }),
    replayAll: h('button', { type: 'button', dataset: { action: 'replay-matching' }, on: { click: () => act('replay', 'matching') } }),
    purgeAll: h('button', { type: 'button', class: 'danger-outline', dataset: { action: 'purge-matching' }, on: { click: () => act('purge', 'matching') } }),
  };
  const prev = h('button', { type: 'button', class: 'small', text: '← newer', on: { click: () => turn(-PAGE) } });
  const next = h('button', { type: 'button', class: 'small', text: 'older →', on: { click: () => turn(PAGE) } });

  let timer;
  const offJobs = live.on('job', (job) => {
    if (jobs.update(job) && job.state !== 'running') {
      loadQueues();
      if (job.queue === state.queue) loadPage();
    }
  });
  // the last few jobs, also those started from another tab or before this page was opened
  get('/ui/api/jobs').then((list) => list.slice().reverse().forEach((job) => jobs.update(job)), () => undefined);
  loadQueues();
  if (state.queue) loadPage();
  else replace(detail, h('div', { class: 'card empty' }, h('p', { class: 'muted', text: 'Choose a DLQ on the left.' })));
  timer = setInterval(loadQueues, 5000);

  async function loadQueues() {
    try {
      const list = await get('/ui/api/dlq');
      const full = list.filter((q) => q.messages), empty = list.filter((q) => !q.messages);
      const common = sharedPrefix(list.map((q) => q.queue));
      prefixNote.textContent = common ? `names start with ${common}` : '';
      const item = (q) => h('li', { class: q.queue === state.queue ? 'active' : '' }, h('a', { href: `/ui/dead-letters?queue=${encodeURIComponent(q.queue)}`, title: q.queue, dataset: { queue: q.queue }, on: { click: (e) => { e.preventDefault(); e.stopPropagation(); choose(q.queue); } } }, h('span', { text: q.queue.slice(common.length) }), h('span', { class: `chip ${q.messages ? 'bad' : ''}`, text: q.messages === undefined ? 'not declared' : fmt.int(q.messages) })));
      replace(queues, ...full.map(item), empty.length ? h('li', { class: 'muted sep', text: `${empty.length} empty` }) : null, ...empty.map(item));
    } catch (err) {
      showError(err);
    }
  }

  function choose(queue) {
    Object.assign(state, { queue, offset: 0, selected: new Set() });
    syncUrl();
    loadQueues();
    loadPage();
  }

  function refilter() {
    Object.assign(state, { reason: reason.value, type: type.value.trim(), offset: 0, selected: new Set() });
    syncUrl();
    loadPage();
  }

  function turn(by) {
    state.offset = Math.max(0, state.offset + by);
    loadPage();
  }

  function syncUrl() {
    const q = new URLSearchParams();
    for (const k of ['queue', 'reason', 'type']) if (state[k]) q.set(k, state[k]);
    history.replaceState(null, '', `/ui/dead-letters${q.size ? `?${q}` : ''}`);
  }

  async function loadPage() {
    const q = new URLSearchParams({ queue: state.queue, offset: String(state.offset), limit: String(PAGE) });
    if (state.reason) q.set('reason', state.reason);
    if (state.type) q.set('type', state.type);
    try {
      state.page = await get(`/ui/api/dlq/letters?${q}`);
      error.hidden = true;
      render();
    } catch (err) {
      showError(err);
    }
  }

  function render() {
    const p = state.page;
    const keys = new Set(p.letters.map((l) => l.key));
    for (const k of state.selected) if (!keys.has(k)) state.selected.delete(k);
    replace(table, ...p.letters.map(row));
    if (!p.letters.length) table.append(h('tr', {}, h('td', { colspan: 8, class: 'muted empty', text: p.total ? 'No dead letter matches the filter.' : 'This DLQ is empty.' })));
    const from = p.letters.length ? state.offset + 1 : 0;
    summary.textContent = `${from}–${state.offset + p.letters.length} of ${p.matched} matching · ${p.total} in the queue${p.scanned < p.total ? ` (first ${p.scanned} looked at)` : ''} · read without consuming`;
    prev.disabled = state.offset === 0;
    next.disabled = state.offset + PAGE >= p.matched;
    updateButtons();
    replace(
      detail,
      h('div', { class: 'card' },
        h('div', { class: 'toolbar' }, h('strong', { class: 'queue-name', text: state.queue }), h('label', {}, 'Reason ', reason), h('label', {}, 'Type ', type)),
        h('div', { class: 'toolbar' }, buttons.replaySel, buttons.purgeSel, h('span', { class: 'spacer' }), buttons.replayAll, buttons.purgeAll),
        h('div', { class: 'table-card' }, h('table', { class: 'letters' }, h('thead', {}, h('tr', {}, h('th', {}, all), ...['Reason', 'Attempts', 'Handler', 'Error', 'Original route', 'Event', ''].map((t) => h('th', { text: t })))), table)),
        h('div', { class: 'pager' }, summary, h('span', { class: 'spacer' }), prev, next),
      ),
    );
  }

  function row(l) {
    const box = h('input', { type: 'checkbox', checked: state.selected.has(l.key), title: 'select', on: { change: () => { box.checked ? state.selected.add(l.key) : state.selected.delete(l.key); updateButtons(); } } });
    let body = l.body;
    try { body = JSON.stringify(JSON.parse(l.body), null, 2); } catch { /* poison: shown as it is */ }
    const bodyRow = h('tr', { class: 'body-row', hidden: true }, h('td', {}), h('td', { colspan: 7 }, h('pre', { text: body })));
    const toggle = h('button', { type: 'button', class: 'link-button', dataset: { action: 'show-body' }, title: 'show the message body', on: { click: () => { bodyRow.hidden = !bodyRow.hidden; toggle.classList.toggle('open', !bodyRow.hidden); } } }, h('span', { text: l.type }));
    const tr = h('tr', { dataset: { key: l.key, reason: l.reason ?? '' } },
      h('td', {}, box),
      h('td', {}, h('span', { class: `pill reason ${l.reason ?? ''}`, text: l.reason ?? '?' })),
      h('td', { class: 'num-cell', text: l.attempts ?? '–' }),
      h('td', { text: l.handler ?? '–' }),
      h('td', { class: 'error-cell' }, h('strong', { text: l.errorType ?? '' }), h('div', { text: l.errorMessage ?? '' }), h('div', { class: 'muted', text: `${fmt.time(l.failedAt)}${l.host ? ` on ${l.host}` : ''}` })),
      h('td', {}, h('div', { text: l.originalRoutingKey ?? '?' }), h('div', { class: 'muted small-text', text: `${l.originalExchange || '(default exchange)'} → ${l.originalQueue ?? '?'}` })),
      h('td', {}, toggle, l.tenant ? h('div', { class: 'muted small-text', text: l.tenant }) : null),
      h('td', {}, h('button', { type: 'button', class: 'small primary', dataset: { action: 'replay-one' }, text: 'Replay', on: { click: () => act('replay', 'one', l.key) } })),
    );
    return [tr, bodyRow];
  }

  function selectPage(on) {
    for (const l of state.page?.letters ?? []) on ? state.selected.add(l.key) : state.selected.delete(l.key);
    render();
  }

  function updateButtons() {
    const n = state.selected.size, m = state.page?.matched ?? 0;
    const filtered = Boolean(state.reason || state.type);
    buttons.replaySel.textContent = `Replay selected (${n})`;
    buttons.purgeSel.textContent = `Purge selected (${n})`;
    buttons.replaySel.disabled = buttons.purgeSel.disabled = n === 0;
    buttons.replayAll.textContent = filtered ? `Replay all ${m} matching` : `Replay all ${state.page?.total ?? 0}`;
    buttons.purgeAll.textContent = filtered ? `Purge all ${m} matching` : `Purge all ${state.page?.total ?? 0}`;
    buttons.replayAll.disabled = buttons.purgeAll.disabled = m === 0;
  }

  async function act(kind, scope, key) {
    const selection = { queue: state.queue };
    let count;
    if (scope === 'one') { selection.keys = [key]; count = 1; }
    else if (scope === 'selected') { selection.keys = [...state.selected]; count = selection.keys.length; }
    else if (state.reason || state.type) { Object.assign(selection, state.reason ? { reason: state.reason } : {}, state.type ? { type: state.type } : {}); count = state.page.matched; }
    else { selection.all = true; count = state.page.total; }
    const what = `${count} dead letter${count === 1 ? '' : 's'}`;
    const ok = await confirmDialog(kind === 'replay'
      ? { title: `Replay ${what}?`, text: `Each goes back to its original exchange and routing key with its attempts reset. A copy is confirmed by the broker before its dead letter is removed from ${state.queue}: an interrupted replay loses nothing.`, confirm: 'Replay', tone: 'primary' }
      : { title: `Purge ${what}?`, text: `They are deleted from ${state.queue} for good. This cannot be undone.`, confirm: 'Purge', tone: 'danger' });
    if (!ok) return;
    try {
      jobs.update(await post(`/ui/api/dlq/${kind}`, selection));
      state.selected.clear();
    } catch (err) {
      showError(err);
    }
  }

  function showError(err) {
    error.hidden = false;
    error.textContent = err.message;
  }

  return () => {
    clearInterval(timer);
    offJobs();
  };
}

/** `stokcerdas.` when every DLQ starts with it: the list shows the rest */
function sharedPrefix(names) {
  if (names.length < 2) return '';
  const first = names[0].split('.');
  let n = 0;
  while (n < first.length - 1 && names.every((q) => q.split('.')[n] === first[n])) n++;
  return n ? `${first.slice(0, n).join('.')}.` : '';
}
