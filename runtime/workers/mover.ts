/**
 * A 10-second infinite loop in one handler must never stall other bindings. Each thread
 * holds a second task behind the one it runs (pool.ts); behind a loop, that task would wait for
 * the loop's timeout (30 s by default) while another thread has nothing to do. The mover hands it
 * to piscina again, which places it on the least-loaded thread; the lane's compare-exchange
 * (lanes.ts) makes the stuck thread skip the old copy, so the task still runs exactly once.
 *
 * One unref'd timer for the pool, armed by a send and running only while some task is queued.
 */
import { performance } from 'node:perf_hooks';
import type { Piscina } from 'piscina';
import type { LaneBoard } from './lanes.ts';
import type { Slots } from './slots.ts';

/**
 * How long a task may sit unstarted before it counts as stuck: a task posted to an idle thread
 * starts well within it (message-port transit, the worker's turn of its event loop), so a task
 * still queued after it waits behind a running handler.
 */
export const MOVE_GRACE_MS = 25;
/** bounded work per call even if the idle signal misleads (a thread that looks free but is not) */
const MAX_MOVES = 3;

/** A call in flight, as the mover sees it (send.ts's WorkerCall). */
export interface Movable {
  /** when its current lane was queued (performance.now()) */
  readonly queuedAt: number;
  readonly moves: number;
  /** Go on as `lane`; the lane it leaves stays held until piscina settles the skipped copy. */
  moveTo(lane: number): void;
}

export interface MoverDeps {
  pool: Pick<Piscina, 'idleThreads' | 'threads'>;
  maxThreads: number;
  board: LaneBoard;
  slots: Slots;
  graceMs: number;
  isClosed(): boolean;
  /** a call was moved (the pool's `moved` stat) */
  onMove(): void;
}

export class Mover {
  /** per lane, the call whose task holds it (a moved call also holds the lane it left) */
  private readonly calls: (Movable | undefined)[];
  private timer: NodeJS.Timeout | undefined;
  /** lanes left by a move whose skipped copy piscina has not settled yet: not queued calls */
  abandoned = 0;

  constructor(private readonly deps: MoverDeps, lanes: number) {
    this.calls = new Array<Movable | undefined>(lanes).fill(undefined);
  }

  /** A task was handed to piscina on this lane. */
  queued(lane: number, call: Movable): void {
    this.calls[lane] = call;
    this.arm();
  }

  /** Piscina settled the task on this lane; `left` when its call had moved on to another lane. */
  settled(lane: number, left: boolean): void {
    this.calls[lane] = undefined;
    if (left) this.abandoned--;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One timer at a time: a move inside a tick queues a task too. */
  private arm(): void {
    if (this.timer !== undefined || this.deps.isClosed()) return;
    this.timer = setTimeout(this.tick, this.deps.graceMs);
    this.timer.unref();
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    const { board, graceMs } = this.deps;
    const now = performance.now();
    let queued = false;
    let stuck: number[] | undefined;
    for (let lane = 0; lane < this.calls.length; lane++) {
      const call = this.calls[lane];
      if (call === undefined || !board.isQueued(lane)) continue;
      queued = true;
      if (now - call.queuedAt >= graceMs && call.moves < MAX_MOVES) (stuck ??= []).push(lane);
    }
    if (stuck) this.move(stuck);
    // a task queued later arms the timer again from queued()
    if (queued) this.arm();
  };

  /** Oldest first, at most one per thread that would start it now. */
  private move(lanes: number[]): void {
    const { board, slots, onMove } = this.deps;
    let room = this.freeThreads();
    if (room === 0) return;
    lanes.sort((a, b) => this.calls[a]!.queuedAt - this.calls[b]!.queuedAt);
    for (const lane of lanes) {
      if (room === 0) return;
      // the move's copy needs a lane of its own while the stuck thread still holds the old one
      const fresh = slots.tryAcquire();
      if (fresh === undefined) return;
      if (!board.move(lane)) {
        slots.release(fresh);
        continue;
      }
      room--;
      this.abandoned++;
      onMove();
      this.calls[lane]!.moveTo(fresh);
    }
  }

  /**
   * Threads that would start a moved task at once: piscina's ready threads holding no task, plus
   * the threads piscina may still start (a pool grown from minThreads) when every live one is
   * running a handler. Threads still booting do not count: a task sent to them waits as long.
   */
  private freeThreads(): number {
    const { pool, maxThreads, board } = this.deps;
    const live = pool.threads.length;
    const startable = live < maxThreads && board.running() >= live ? maxThreads - live : 0;
    return pool.idleThreads + startable;
  }
}
