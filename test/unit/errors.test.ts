import { describe, expect, it } from 'vitest';
import { ErrorCodes, HandlerTimeoutError, NonRetryableError, PoisonMessageError, StokcerdasError, isStokcerdasError } from '../../runtime/errors.ts';
import { parseDeadLetterFilter } from '../../runtime/dlq/filter.ts';

describe('the delivery error classes', () => {
  it('are coded StokcerdasErrors that keep their own names, messages and instanceof', () => {
    const cause = new Error('root');
    const nonRetryable = new NonRetryableError('no product', { cause });
    expect(nonRetryable).toBeInstanceOf(NonRetryableError);
    expect(nonRetryable).toBeInstanceOf(StokcerdasError);
    expect(nonRetryable).toBeInstanceOf(Error);
    expect(nonRetryable).toMatchObject({ name: 'NonRetryableError', code: ErrorCodes.NON_RETRYABLE, message: 'no product', cause });

    const poison = new PoisonMessageError('body is not JSON', ['a: b']);
    expect(isStokcerdasError(poison, ErrorCodes.POISON)).toBe(true);
    expect(poison).toMatchObject({ name: 'PoisonMessageError', message: 'body is not JSON', problems: ['a: b'] });
    expect(poison).not.toBeInstanceOf(NonRetryableError);

    const timeout = new HandlerTimeoutError('p/h', 250);
    expect(isStokcerdasError(timeout, ErrorCodes.HANDLER_TIMEOUT)).toBe(true);
    expect(timeout).toMatchObject({ name: 'HandlerTimeoutError', message: 'handler p/h did not finish within 250 ms' });
  });

  it('a bad --filter is a coded error naming the filter', () => {
    let error: unknown;
    try {
      parseDeadLetterFilter('reason=tired');
    } catch (err) {
      error = err;
    }
    expect(isStokcerdasError(error, ErrorCodes.DLQ_FILTER_INVALID)).toBe(true);
    expect((error as Error).message).toMatch(/not a death reason/);
    expect(() => parseDeadLetterFilter('colour=red')).toThrow(expect.objectContaining({ code: ErrorCodes.DLQ_FILTER_INVALID }));
  });
});
