// No broker needed: the coalescer is checked against a model of RabbitMQ's ack rules
// (rabbit_channel:collect_acks), which is what decides whether a channel survives.
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Message } from 'amqplib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AckCoalescer, type Settler } from '../../../runtime/transport/amqp/ack-coalescer.ts';

/** Outstanding deliveries of one channel, settled the way RabbitMQ settles them. */
class ModelChannel implements Settler {
  outstanding: number[] = [];
  settled = new Map<number, 'ack' | 'reject' | 'requeue'>();
  sent: string[] = [];
  deliver(tag: number): Message {
    this.outstanding.push(tag);
    return { fields: { deliveryTag: tag } } as unknown as Message;
  }
  ack(m: Message, allUpTo = false): void {
    const tag = m.fields.deliveryTag;
    this.sent.push(`ack ${tag}${allUpTo ? '+' : ''}`);
    // multiple=true acks everything up to the tag, which must itself be outstanding
    if (!this.outstanding.includes(tag)) throw new Error(`PRECONDITION_FAILED - unknown delivery tag ${tag}`);
    for (const t of this.outstanding.filter((t) => (allUpTo ? t <= tag : t === tag))) this.settled.set(t, 'ack');
    this.outstanding = this.outstanding.filter((t) => (allUpTo ? t > tag : t !== tag));
  }
  reject(m: Message, requeue = false): void {
    const tag = m.fields.deliveryTag;
    this.sent.push(`${requeue ? 'requeue' : 'reject'} ${tag}`);
    if (!this.outstanding.includes(tag)) throw new Error(`PRECONDITION_FAILED - unknown delivery tag ${tag}`);
    this.settled.set(tag, requeue ? 'requeue' : 'reject');
    this.outstanding = this.outstanding.filter((t) => t !== tag);
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ack coalescing (model of RabbitMQ ack rules)', () => {
  it('acks a completed run once with multiple=true when the batch fills', () => {
    const ch = new ModelChannel();
    const c = new AckCoalescer(ch, 3, 10);
    const ts = [1, 2, 3].map((tag) => c.track(ch.deliver(tag)));
    for (const t of ts) c.settle(t, 'ack');
    expect(ch.sent).toEqual(['ack 3+']);
    expect(ch.outstanding).toEqual([]);
  });

  it('never acks past a delivery still running; the timer sends the ones behind it alone', () => {
    vi.useFakeTimers();
    const ch = new ModelChannel();
    const c = new AckCoalescer(ch, 2, 10);
    const [t1, t2, t3] = [1, 2, 3].map((tag) => c.track(ch.deliver(tag)));
    c.settle(t2, 'ack');
    c.settle(t3, 'ack');
    expect(ch.sent).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(ch.sent).toEqual(['ack 2', 'ack 3']);
    c.settle(t1, 'ack');
    vi.advanceTimersByTime(10);
    expect(ch.sent).toEqual(['ack 2', 'ack 3', 'ack 1']);
    expect(ch.outstanding).toEqual([]);
  });

  it('sends a reject at once and never uses a rejected tag as the multiple-ack bound', () => {
    vi.useFakeTimers();
    const ch = new ModelChannel();
    const c = new AckCoalescer(ch, 50, 10);
    const [t1, t2] = [1, 2].map((tag) => c.track(ch.deliver(tag)));
    c.settle(t1, 'ack');
    c.settle(t2, 'reject');
    expect(ch.sent).toEqual(['reject 2']);
    vi.advanceTimersByTime(10);
    expect(ch.sent).toEqual(['reject 2', 'ack 1']);
  });

  it('drops settlements once the channel is dead', () => {
    const ch = new ModelChannel();
    const c = new AckCoalescer(ch, 1, 10);
    const t = c.track(ch.deliver(1));
    c.kill();
    expect(c.settle(t, 'ack')).toBe(false);
    expect(ch.sent).toEqual([]);
  });

  it('settles every delivery exactly once, in any completion order, without an unknown tag', () => {
    vi.useFakeTimers();
    for (let run = 0; run < 200; run++) {
      const ch = new ModelChannel();
      const c = new AckCoalescer(ch, 1 + (run % 7), 5);
      const expected = new Map<number, 'ack' | 'reject' | 'requeue'>();
      let running: Array<{ tag: number; t: ReturnType<AckCoalescer['track']> }> = [];
      for (let tag = 1; tag <= 120; tag++) {
        running.push({ tag, t: c.track(ch.deliver(tag)) });
        while (running.length > 0 && Math.random() < 0.6) {
          const i = Math.floor(Math.random() * running.length);
          const [done] = running.splice(i, 1);
          const r = Math.random();
          const s = r < 0.8 ? 'ack' : r < 0.9 ? 'reject' : 'requeue';
          expected.set(done.tag, s);
          c.settle(done.t, s);
          if (Math.random() < 0.05) vi.advanceTimersByTime(5);
        }
      }
      for (const { tag, t } of running) {
        expected.set(tag, 'ack');
        c.settle(t, 'ack');
      }
      c.flush();
      expect(ch.outstanding).toEqual([]);
      expect(ch.settled).toEqual(expected);
    }
  });

  it('lets go of the deliveries it has passed, so settled messages do not outlive the next scavenge', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const ch = new ModelChannel();
    const c = new AckCoalescer(ch, 1_000, 10_000); // no flush while the test runs
    // in a function of its own, so no register of this async test still holds the last delivery
    const deliverAll = () => {
      const refs: WeakRef<Message>[] = [];
      for (let tag = 1; tag <= 200; tag++) {
        const t = c.track(ch.deliver(tag));
        refs.push(new WeakRef(t.msg));
        c.settle(t, tag % 10 === 0 ? 'reject' : 'ack');
      }
      return refs;
    };
    const refs = deliverAll();
    // the last ack-pending delivery (199) is still needed: it is the tag `multiple` will name
    await new Promise((r) => setTimeout(r, 0));
    gc();
    const alive = refs.filter((r) => r.deref() !== undefined).map((r) => r.deref()!.fields.deliveryTag);
    expect(alive).toEqual([199]);
    c.flush();
    expect(ch.settled.size).toBe(200);
  });
});

