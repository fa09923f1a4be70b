import { h, replace, fmt } from './dom.js';

/** The running and last few replays and purges, each with a progress bar. */
export function jobPanel() {
  const el = h('div', { class: 'jobs' });
  const shown = new Map();
  return {
    el,
    /** false when `job` is not newer than what is shown (the stream's "done" can overtake the POST's answer) */
    update(job) {
      let item = shown.get(job.id);
      if (item && Number(item.dataset.version) >= job.version) return false;
      if (!item) {
        item = h('div', { class: 'card job', dataset: { job: job.id } });
        shown.set(job.id, item);
        el.prepend(item);
        while (el.children.length > 3) {
          const last = el.lastElementChild;
          shown.delete(last.dataset.job);
          last.remove();
        }
      }
      const verb = job.kind === 'replay' ? 'replayed' : 'deleted';
      const total = Math.max(job.total, job.seen, 1);
      const bar = h('progress', { max: total, value: job.state === 'running' ? job.seen : total });
      const extra = [job.skipped ? `${job.skipped} left (not selected)` : '', job.unroutable ? `${job.unroutable} left (no original route)` : ''].filter(Boolean).join(', ');
      item.dataset.state = job.state;
      item.dataset.version = String(job.version);
      replace(
        item,
        h('div', { class: 'job-head' },
          h('strong', { text: `${job.kind === 'replay' ? 'Replay' : 'Purge'} · ${job.selection}` }),
          h('span', { class: 'muted', text: job.queue }),
          h('span', { class: `pill ${job.state === 'done' ? 'ok' : job.state === 'failed' ? 'bad' : 'warn'}`, text: job.state })),
        bar,
        h('div', { class: 'muted', dataset: { test: 'job-text' }, text: job.state === 'failed' ? `failed after ${job.done} ${verb}: ${job.error}` : `${fmt.int(job.done)} ${verb} · ${fmt.int(job.seen)} of ${fmt.int(job.total)} looked at${extra ? ` · ${extra}` : ''}` }),
      );
      return true;
    },
  };
}
