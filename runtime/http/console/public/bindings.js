import { h, replace, fmt } from './dom.js';
import { post } from './api.js';

const COLUMNS = [
  ['key', 'Binding'], ['queue', 'Queue'], ['mode', 'Mode'], ['prefetch', 'Prefetch'], ['rate', 'Rate /s'],
  ['p50', 'p50'], ['p99', 'p99'], ['consumed', 'Consumed'], ['failed', 'Failures'], ['retried', 'Retried'],
  ['tiers', 'Retry tiers'], ['dlq', 'DLQ'], ['actions', ''],
];

export function mount(root, { live }) {
  const body = h('tbody');
  const note = h('p', { class: 'muted' });
  const error = h('p', { class: 'error', hidden: true });
  root.append(
    h('h2', { text: 'Bindings' }),
    h('p', { class: 'muted', text: 'One row per plugin/handler. Rates over the last 10 s, p50/p99 over the last 512 calls, retry tiers and DLQ as messages waiting in the broker. Pausing a binding stops its queue’s consumer: messages wait in the broker, and every handler on that queue pauses with it.' }),
    error,
    h('div', { class: 'card table-card' }, h('table', { class: 'bindings' }, h('thead', {}, h('tr', {}, ...COLUMNS.map(([, label]) => h('th', { text: label })))), body)),
    note,
  );
  const rows = new Map();

  const off = live.on('bindings', (list) => {
    for (const b of list) {
      let row = rows.get(b.key);
      if (!row) {
        row = makeRow(b.key);
        rows.set(b.key, row);
        body.append(row.tr);
      }
      row.update(b);
    }
    note.textContent = list.length ? `${list.length} bindings on ${new Set(list.map((b) => b.queue)).size} queues` : 'No bindings yet: the host is starting or has no plugins.';
  });

  function makeRow(key) {
    const cells = Object.fromEntries(COLUMNS.map(([k]) => [k, h('td', { dataset: { col: k } })]));
    const tr = h('tr', { dataset: { key } }, ...Object.values(cells));
    const button = h('button', { type: 'button', class: 'small' });
    cells.actions.append(button);
    let current;
    button.addEventListener('click', async () => {
      const what = current.paused ? 'resume' : 'pause';
      button.disabled = true;
      button.textContent = what === 'pause' ? 'pausing…' : 'resuming…';
      try {
        await post(`/ui/api/bindings/${what}`, { key });
        error.hidden = true;
      } catch (err) {
        error.hidden = false;
        error.textContent = `${what} ${key}: ${err.message}`;
      } finally {
        button.disabled = false;
      }
    });
    return {
      tr,
      update(b) {
        current = b;
        tr.classList.toggle('paused', b.paused);
        replace(cells.key, h('strong', { text: b.key }), b.paused ? h('span', { class: 'pill warn small-pill', text: 'paused' }) : null);
        cells.queue.textContent = b.queue;
        cells.mode.textContent = b.mode + (b.batch ? ` · batch ${b.batch}` : '');
        cells.prefetch.textContent = `${b.prefetch} / ${b.concurrency}`;
        cells.prefetch.title = 'prefetch / concurrency';
        cells.rate.textContent = fmt.rate(b.ratePerSec);
        cells.p50.textContent = fmt.ms(b.p50Ms);
        cells.p99.textContent = fmt.ms(b.p99Ms);
        cells.consumed.textContent = fmt.int(b.consumed);
        cells.failed.textContent = fmt.int(b.failed);
        cells.failed.classList.toggle('warn-text', b.failed > 0);
        cells.retried.textContent = fmt.int(b.retried);
        replace(cells.tiers, ...b.retryTiers.map((t) => h('span', { class: `chip ${t.messages ? 'warn' : ''}`, title: `messages waiting ${fmt.delay(t.delayMs)} before their next attempt`, text: `${fmt.delay(t.delayMs)}: ${t.messages ?? '–'}` })));
        replace(cells.dlq, h('a', { href: `/ui/dead-letters?queue=${encodeURIComponent(b.dlq)}`, class: `chip ${b.dlqMessages ? 'bad' : ''}`, title: b.dlq, text: fmt.int(b.dlqMessages) }));
        button.textContent = b.paused ? 'Resume' : 'Pause';
        button.className = b.paused ? 'small primary' : 'small';
      },
    };
  }

  return off;
}
