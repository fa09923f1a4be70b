import type { Message } from 'amqplib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AckCoalescer } from '../../../runtime/transport/amqp/ack-coalescer.ts';

const message = (tag: number) => ({ fields: { deliveryTag: tag } }) as unknown as Message;

describe('AckCoalescer flush timer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops the acks when the connection is closing under the channel (amqplib throws), instead of throwing from a timer', () => {
    vi.useFakeTimers();
    const channel = {
      ack: vi.fn(() => {
        throw new Error('Connection closing');
      }),
      reject: vi.fn(),
    };
    const coalescer = new AckCoalescer(channel, 50, 10);
    const t = coalescer.track(message(1));
    expect(coalescer.settle(t, 'ack')).toBe(true);
    expect(() => vi.advanceTimersByTime(10)).not.toThrow();
    expect(channel.ack).toHaveBeenCalledTimes(1);
  });
});
