/** Where a progress bar writes: process.stderr, so a command's own output on stdout stays clean. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `done` of `total` so far (the total may change: a DLQ grows while it is replayed) */
  update(done: number, total?: number): void;
  /** the last line, left on screen */
  finish(summary: string): void;
}

const REDRAW_MS = 80;
const PLAIN_EVERY_MS = 5_000;

/**
 * A bar redrawn in place on a terminal; on anything else (a pipe, a CI log) plain lines: the
 * start, each tenth of the way, at least every 5 s while it moves, and the end.
 */
export function createProgress(label: string, total: number, stream: ProgressStream = process.stderr, now: () => number = Date.now): Progress {
  const started = now();
  let shownAt = 0;
  let lastTenth = -1;
  let done = 0;
  let finished = false;
  const tty = stream.isTTY === true;

  const rate = () => {
    const seconds = (now() - started) / 1000;
    return seconds > 0.5 ? ` ${Math.round(done / seconds).toLocaleString('en-US')}/s` : '';
  };
  const counts = () => `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;

  const draw = () => {
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const pct = `${Math.floor(ratio * 100)}%`.padStart(4);
    const tail = ` ${pct} ${counts()}${rate()}`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - tail.length - 4));
    const filled = Math.round(ratio * width);
    stream.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${tail}\x1b[K`);
  };

  const plain = (force: boolean) => {
    const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
    if (!force && tenth === lastTenth && now() - shownAt < PLAIN_EVERY_MS) return;
    lastTenth = tenth;
    shownAt = now();
    stream.write(`${label}: ${counts()} (${total > 0 ? Math.floor((done / total) * 100) : 100}%)\n`);
  };

  if (tty) draw();
  else plain(true);
  shownAt = now();

  return {
    update(value, newTotal) {
      if (finished) return;
      done = value;
      if (newTotal !== undefined) total = newTotal;
      if (!tty) return plain(false);
      if (now() - shownAt < REDRAW_MS) return;
      shownAt = now();
      draw();
    },
    finish(summary) {
      if (finished) return;
      finished = true;
      if (tty) {
        draw();
        stream.write(`\n`);
      }
      stream.write(`${label}: ${summary}\n`);
    },
  };
}
