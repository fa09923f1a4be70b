import type { ChannelModel } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { batchSocketWrites } from '../../../runtime/transport/amqp/write-batching.ts';

/** amqplib 0.10's shape: ChannelModel.connection.muxer { out, _readIncoming } */
function fakeModel() {
  const calls: string[] = [];
  const out = { cork: () => calls.push('cork'), uncork: () => calls.push('uncork'), write: (b: string) => calls.push(`write ${b}`) };
  const muxer = {
    out,
    _readIncoming(this: { out: typeof out }) {
      this.out.write('a');
      this.out.write('b');
    },
  };
  return { model: { connection: { muxer } } as unknown as ChannelModel, calls, muxer };
}

describe('batchSocketWrites (amqplib multiplexer writes corked per drain loop)', () => {
  it('corks the socket around each drain loop, the writes in order between', () => {
    const { model, calls, muxer } = fakeModel();
    expect(batchSocketWrites(model)).toBe(true);
    muxer._readIncoming();
    expect(calls).toEqual(['cork', 'write a', 'write b', 'uncork']);
  });

  it('uncorks when the loop throws, and wraps a connection once', () => {
    const { model, calls, muxer } = fakeModel();
    muxer._readIncoming = () => {
      throw new Error('boom');
    };
    expect(batchSocketWrites(model)).toBe(true);
    expect(batchSocketWrites(model)).toBe(false);
    expect(() => muxer._readIncoming()).toThrow('boom');
    expect(calls).toEqual(['cork', 'uncork']);
  });

  it('leaves a connection alone whose internals are not the expected ones', () => {
    expect(batchSocketWrites({} as ChannelModel)).toBe(false);
    expect(batchSocketWrites({ connection: { muxer: { out: {} } } } as unknown as ChannelModel)).toBe(false);
  });
});
