import { describe, expect, it } from 'vitest';
import { HandlerTimeoutError, NonRetryableError, PoisonMessageError } from '../../../../runtime/errors.ts';
import { compose } from '../../../../runtime/pipeline/compose.ts';
import { recover } from '../../../../runtime/pipeline/recover.ts';
import { HandlerFailure, type DeliveryContext, type DeliveryStep, type PipelineHooks } from '../../../../runtime/pipeline/types.ts';
import type { OutgoingMessage, Settlement } from '../../../../runtime/transport/contract.ts';
import { bindingOf, contextOf, deliveryOf, eventOf, silent, wireEvent } from './stubs.ts';

const binding = bindingOf();

function setUp(options: { publishFails?: boolean } = {}) {
  const published: OutgoingMessage[] = [];
  const reasons: string[] = [];
  const retried: number[] = [];
  const hooks: PipelineHooks = {
    deadLettered: (info) => reasons.push(String(info.headers['x-death-reason'])),
    retried: (_ctx, _binding, delayMs) => retried.push(delayMs),
  };
  const mw = recover({
    publish: async (message) => {
      if (options.publishFails) throw new Error('broker gone');
      published.push(message);
    },
    deadLetterExchange: 'p.dlx',
    defaultRetry: { maxAttempts: 1, delayMs: 1, multiplier: 1, maxDelayMs: 1 },
    host: 'host-a',
    now: () => Date.UTC(2026, 0, 5, 3),
    hooks,
    logger: silent,
  });
  const run = (next: DeliveryStep, over: Partial<DeliveryContext> = {}) =>
    compose<DeliveryStep>(mw)(next)(contextOf(deliveryOf(wireEvent(), { expiration: 60_000, headers: { keep: 'me' } }), { event: eventOf(), ...over }));
  return { published, reasons, retried, run };
}

const failWith = (cause: unknown): DeliveryStep => () => {
  throw new HandlerFailure(binding, cause);
};

describe('recover', () => {
  it('passes a settlement through untouched when next succeeds', async () => {
    const { published, run } = setUp();
    expect(run(() => 'ack')).toBe('ack');
    await expect(run(async (): Promise<Settlement> => 'requeue')).resolves.toBe('requeue');
    expect(published).toEqual([]);
  });

  it('sends a failed first attempt to the wait queue of its delay tier, naming the handler to run again', async () => {
    const { published, retried, run } = setUp();
    await expect(run(failWith(new Error('warehouse API down')))).resolves.toBe('ack');
    expect(published).toHaveLength(1);
    const [copy] = published;
    expect(copy).toMatchObject({ exchange: '', routingKey: 'p.probe.watch.retry.1000ms' });
    expect(copy!.properties.expiration).toBeUndefined();
    expect(copy!.properties.headers).toMatchObject({
      keep: 'me',
      'x-attempts': 1,
      'x-retry-handlers': 'probe/watch',
      'x-original-exchange': 'p.orders.events',
      'x-original-routing-key': 'orders.order.created',
      'x-error-type': 'Error',
      'x-error-message': 'warehouse API down',
    });
    expect(retried).toEqual([1000]);
  });

  it('grows the delay with the attempt (delayMs × multiplier^(n-1))', async () => {
    const { published, run } = setUp();
    await run(failWith(new Error('x')), { attempt: 2 });
    expect(published[0]!.routingKey).toBe('p.probe.watch.retry.2000ms');
  });

  it.each([
    ['retries-exhausted', new Error('still down'), 3],
    ['handler-timeout', new HandlerTimeoutError('probe/watch', 5000), 3],
    ['non-retryable', new NonRetryableError('deleted'), 1],
    ['poison', new PoisonMessageError('not JSON'), 1],
  ] as const)('dead-letters as %s with the failure headers', async (reason, cause, attempt) => {
    const { published, reasons, run } = setUp();
    await expect(run(failWith(cause), { attempt })).resolves.toBe('ack');
    expect(published[0]).toMatchObject({ exchange: 'p.dlx', routingKey: 'p.probe.watch' });
    expect(published[0]!.properties.headers).toMatchObject({
      'x-death-reason': reason,
      'x-attempts': attempt,
      'x-handler': 'probe/watch',
      'x-error-type': cause.name,
      'x-original-queue': 'p.probe.watch',
      'x-failed-at': '2026-01-05T03:00:00.000Z',
      'x-host': 'host-a',
    });
    expect(reasons).toEqual([reason]);
  });

  it('dead-letters a failure that is not a handler\'s (decode throws poison before any handler runs)', async () => {
    const { published, run } = setUp();
    await run(() => {
      throw new PoisonMessageError('body is not JSON');
    });
    expect(published[0]!.properties.headers).toMatchObject({ 'x-death-reason': 'poison', 'x-handler': '-' });
  });

  it('requeues the delivery when its retry or dead-letter copy cannot be published', async () => {
    const { run } = setUp({ publishFails: true });
    await expect(run(failWith(new Error('x')))).resolves.toBe('requeue');
    await expect(run(failWith(new NonRetryableError('x')))).resolves.toBe('requeue');
  });

  it('handles an asynchronous rejection like a throw', async () => {
    const { published, run } = setUp();
    await expect(run(() => Promise.reject(new HandlerFailure(binding, new Error('late'))))).resolves.toBe('ack');
    expect(published[0]!.properties.headers).toMatchObject({ 'x-error-message': 'late' });
  });
});
