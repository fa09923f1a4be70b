/**
 * Where each worker task stands, in memory the main thread and every worker thread share.
 *
 * The pool lets each thread hold a second task behind the one it runs, so a thread never idles
 * while the main thread is busy elsewhere (the worker mode must beat inline clearly on two cores). That would weaken crash
 * isolation — a thread that dies takes both tasks down, and a timeout must terminate the right
 * thread — unless the main thread knows, without asking the thread, whether a task has started
 * and on which thread. This board tells it: a task that never started is sent again and a task
 * aborted before it started is skipped, so only the running call pays for a dying thread. A task
 * waiting behind a thread that is stuck in a long handler is moved (mover.ts): the same
 * compare-exchange the thread's start uses decides whether it runs there or is sent elsewhere.
 *
 * One lane per task handed to piscina; a lane is reused only after piscina settled its task.
 * Imported by both sides: it must not pull in piscina.
 */
const FREE = 0;
const QUEUED = 1;
const RUNNING = 2;
/** aborted while queued: the worker skips it */
const CANCELLED = 3;
/** the handler returned; the result is on its way back */
const FINISHED = 4;
/** sent again on another lane while queued: the worker skips it (kept apart from CANCELLED, which means aborted) */
const MOVED = 5;

/** threads being terminated: a worker on this list starts nothing more */
const DOOMED_SLOTS = 16;

export type LaneStart = 'run' | 'skip' | 'doomed';

export class LaneBoard {
  /** per lane: [state, thread id]; then the ring of doomed thread ids */
  private readonly cells: Int32Array;
  private nextDoomed = 0;

  constructor(private readonly lanes: number) {
    this.cells = new Int32Array(new SharedArrayBuffer((lanes * 2 + DOOMED_SLOTS) * Int32Array.BYTES_PER_ELEMENT));
  }

  /** What the pool hands its threads (piscina's `workerData`). */
  get shared(): SharedArrayBuffer {
    return this.cells.buffer as SharedArrayBuffer;
  }

  /** The worker's view of a board the pool shared, or undefined when the pool shared none. */
  static attach(shared: unknown): LaneView | undefined {
    return shared instanceof SharedArrayBuffer ? new LaneView(new Int32Array(shared)) : undefined;
  }

  queue(lane: number): void {
    Atomics.store(this.cells, lane * 2, QUEUED);
  }

  free(lane: number): void {
    Atomics.store(this.cells, lane * 2, FREE);
  }

  isQueued(lane: number): boolean {
    return Atomics.load(this.cells, lane * 2) === QUEUED;
  }

  /**
   * Takes a queued task back from the thread it waits on; false when the thread started it first.
   * Exactly one side wins the lane, so the task runs on its thread or is sent again, never both.
   */
  move(lane: number): boolean {
    return Atomics.compareExchange(this.cells, lane * 2, QUEUED, MOVED) === QUEUED;
  }

  /** The task never ran a line of the handler: safe to send again after its thread died. */
  neverStarted(lane: number): boolean {
    const state = Atomics.load(this.cells, lane * 2);
    return state === QUEUED || state === CANCELLED;
  }

  /**
   * The call was aborted: a queued task is marked to be skipped (returns 0); a running one names
   * its thread, which the caller terminates, and no new task starts on that thread meanwhile.
   */
  cancel(lane: number): number {
    const was = Atomics.compareExchange(this.cells, lane * 2, QUEUED, CANCELLED);
    if (was !== RUNNING) return 0;
    const thread = Atomics.load(this.cells, lane * 2 + 1);
    Atomics.store(this.cells, this.lanes * 2 + (this.nextDoomed++ % DOOMED_SLOTS), thread);
    return thread;
  }

  running(): number {
    let n = 0;
    for (let lane = 0; lane < this.lanes; lane++) if (Atomics.load(this.cells, lane * 2) === RUNNING) n++;
    return n;
  }
}

/** The worker thread's side of the board. */
export class LaneView {
  private readonly doomedFrom: number;

  constructor(private readonly cells: Int32Array) {
    this.doomedFrom = cells.length - DOOMED_SLOTS;
  }

  /** Claims the lane for this thread, unless the task was cancelled or moved, or the thread is being terminated. */
  start(lane: number, thread: number): LaneStart {
    for (let i = this.doomedFrom; i < this.cells.length; i++) if (Atomics.load(this.cells, i) === thread) return 'doomed';
    Atomics.store(this.cells, lane * 2 + 1, thread);
    return Atomics.compareExchange(this.cells, lane * 2, QUEUED, RUNNING) === QUEUED ? 'run' : 'skip';
  }

  finish(lane: number): void {
    Atomics.store(this.cells, lane * 2, FINISHED);
  }
}
