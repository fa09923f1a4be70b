import { h, replace, fmt } from './dom.js';
import { rateChart } from './chart.js';

export function mount(root, { live }) {
  const charts = {
    in: rateChart('Events in', 'deliveries/s', '#0f766e'),
    out: rateChart('Events out', 'published/s', '#2563eb'),
    retries: rateChart('Retries', 'per s', '#d97706'),
    deadLetters: rateChart('Dead letters', 'per s', '#dc2626'),
  };
  const status = h('section', { class: 'card status' });
  const totals = h('section', { class: 'card totals' });
  const workers = h('section', { class: 'card workers' });
  root.append(
    h('h2', { text: 'Overview' }),
    h('div', { class: 'grid top-grid' }, status, totals, workers),
    h('div', { class: 'grid charts' }, ...Object.values(charts).map((c) => c.el)),
  );

  const off = live.on('overview', (o) => {
    for (const [key, chart] of Object.entries(charts)) chart.update(o.series, key);
    renderStatus(o);
    renderTotals(o.totals);
    renderWorkers(o.workers);
  });

  function renderStatus(o) {
    const ok = o.connection.connected;
    replace(
      status,
      h('h3', { text: 'Host' }),
      h('div', { class: `pill ${ok ? 'ok' : 'bad'}`, dataset: { test: 'connection' }, text: ok ? `connected · ${o.host.status}` : `disconnected · ${o.host.status}` }),
      dl([
        ['node', o.host.name],
        ['transport', `${o.host.transport}${o.host.durable ? '' : ' (in-process, not durable)'}`],
        ['broker', o.host.broker],
        ['uptime', fmt.uptime(o.host.uptimeSec)],
        ['reconnects', fmt.int(o.connection.reconnects)],
        ['buffered publishes', fmt.int(o.connection.bufferedPublishes)],
      ]),
    );
  }

  function renderTotals(t) {
    replace(
      totals,
      h('h3', { text: 'Since start' }),
      h('div', { class: 'numbers' }, num('consumed', t.consumed), num('succeeded', t.succeeded), num('failed', t.failed, t.failed ? 'warn' : ''), num('retried', t.retried), num('dead-lettered', t.deadLettered, t.deadLettered ? 'bad' : '')),
    );
  }

  function renderWorkers(w) {
    if (!w) {
      replace(workers, h('h3', { text: 'Worker pool' }), h('p', { class: 'muted', text: 'No binding runs in worker mode.' }));
      return;
    }
    const bar = h('div', { class: 'bar-fill' });
    bar.style.width = `${Math.min(100, Math.round(w.utilisation * 100))}%`;
    replace(
      workers,
      h('h3', { text: 'Worker pool' }),
      h('div', { class: 'meter', title: 'share of thread time running handlers' }, bar),
      h('div', { class: 'numbers' }, num('utilisation', null, '', fmt.pct(w.utilisation)), num('queue depth', w.queueDepth, w.queueDepth ? 'warn' : ''), num('running', w.running), num('threads', null, '', `${w.threads} / ${w.maxThreads}`)),
    );
  }

  return off;
}

function num(label, value, tone = '', text) {
  return h('div', { class: `num ${tone}` }, h('div', { class: 'value', text: text ?? fmt.int(value) }), h('div', { class: 'label', text: label }));
}

function dl(rows) {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]));
}
