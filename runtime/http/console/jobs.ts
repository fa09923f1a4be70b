import { randomUUID } from 'node:crypto';

export interface Job {
  id: string;
  kind: 'replay' | 'purge';
  queue: string;
  /** what was asked: the selected count, or the filter */
  selection: string;
  state: 'running' | 'done' | 'failed';
  /** messages looked at, of `total` (the DLQ's count when the job started) */
  seen: number;
  total: number;
  /** replayed or deleted so far */
  done: number;
  /** left in the DLQ by a replay: not matching, or without an original route */
  skipped?: number;
  unroutable?: number;
  error?: string;
  startedAt: string;
  finishedAt?: string;
  /**
   * Goes up with every change sent. The page gets a job twice over two connections (the POST's
   * answer and the stream) in no fixed order: it keeps the higher version, so a fast job's "done"
   * arriving before the POST's "running" is not undone by it.
   */
  version: number;
}

export interface JobProgress {
  progress(seen: number, total: number, done: number): void;
}

const KEEP_FINISHED = 20;
// progress is sent at most this often: a fast replay of thousands would flood the stream
const EMIT_EVERY_MS = 100;

/** Long DLQ operations run here, in the host, so a closed browser tab does not stop them. */
export class JobRegistry {
  private readonly jobs: Job[] = [];

  constructor(private readonly emit: (job: Job) => void) {}

  list(): Job[] {
    return this.jobs;
  }

  start(kind: Job['kind'], queue: string, selection: string, run: (p: JobProgress) => Promise<Partial<Job>>): Job {
    const job: Job = { id: randomUUID(), kind, queue, selection, state: 'running', seen: 0, total: 0, done: 0, startedAt: new Date().toISOString(), version: 1 };
    this.jobs.unshift(job);
    while (this.jobs.length > KEEP_FINISHED && this.jobs[this.jobs.length - 1]!.state !== 'running') this.jobs.pop();
    this.emit(job);
    let last = 0;
    const progress: JobProgress = {
      progress: (seen, total, done) => {
        Object.assign(job, { seen, total, done });
        const now = Date.now();
        if (now - last >= EMIT_EVERY_MS) {
          last = now;
          job.version++;
          this.emit(job);
        }
      },
    };
    run(progress).then(
      (result) => Object.assign(job, result, { state: 'done' as const }),
      (err: unknown) => Object.assign(job, { state: 'failed' as const, error: err instanceof Error ? err.message : String(err) }),
    ).finally(() => {
      job.finishedAt = new Date().toISOString();
      job.version++;
      this.emit(job);
    });
    return job;
  }
}
