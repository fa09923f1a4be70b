/**
 * A ring buffer with O(1) push and shift at both ends. Queues in the benchmark hold tens of
 * thousands of messages; Array#shift on those is O(n) per message.
 */
export class Deque<T> {
  private buf: Array<T | undefined>;
  private head = 0;
  private size = 0;
  private mask: number;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity) cap *= 2;
    this.buf = new Array<T | undefined>(cap);
    this.mask = cap - 1;
  }

  get length(): number {
    return this.size;
  }

  push(value: T): void {
    if (this.size === this.buf.length) this.resize(this.buf.length * 2);
    this.buf[(this.head + this.size) & this.mask] = value;
    this.size++;
  }

  unshift(value: T): void {
    if (this.size === this.buf.length) this.resize(this.buf.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = value;
    this.size++;
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const value = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    // Give memory back after a burst drains, without thrashing around a steady size.
    if (this.buf.length > 1024 && this.size < this.buf.length >>> 2) this.resize(this.buf.length >>> 1);
    return value;
  }

  peek(): T | undefined {
    return this.size === 0 ? undefined : this.buf[this.head];
  }

  /** Empties the deque and returns how many items it held. */
  clear(): number {
    const n = this.size;
    this.buf = new Array<T | undefined>(16);
    this.mask = 15;
    this.head = 0;
    this.size = 0;
    return n;
  }

  toArray(): T[] {
    const out = new Array<T>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.buf[(this.head + i) & this.mask] as T;
    return out;
  }

  private resize(capacity: number): void {
    const next = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) & this.mask];
    this.buf = next;
    this.mask = capacity - 1;
    this.head = 0;
  }
}
