import { describe, expect, it } from 'vitest';
import { ErrorCodes, StokcerdasError } from '../../../runtime/errors.ts';
import { skippedPlugins } from '../../../runtime/plugins/skipped.ts';

describe('skippedPlugins()', () => {
  it('one entry per plugin in the order found: the first problem names it, the count says how many it had', () => {
    const problem = (plugin: string, code: (typeof ErrorCodes)[keyof typeof ErrorCodes], message: string, file?: string) => ({
      plugin,
      file,
      error: new StokcerdasError(code, message),
    });
    const out = skippedPlugins([
      problem('b', ErrorCodes.PLUGIN_INVALID, 'b: handlers.x.subscribe.routingKeys: empty', '/p/b/index.ts'),
      problem('a', ErrorCodes.PLUGIN_SETUP_FAILED, 'a: setup() failed: no database'),
      problem('b', ErrorCodes.PLUGIN_SETUP_FAILED, 'b: second problem'),
    ]);
    expect(out).toEqual([
      { plugin: 'b', code: 'STOKCERDAS_PLUGIN_INVALID', message: 'b: handlers.x.subscribe.routingKeys: empty', file: '/p/b/index.ts', problems: 2 },
      { plugin: 'a', code: 'STOKCERDAS_PLUGIN_SETUP_FAILED', message: 'a: setup() failed: no database', problems: 1 },
    ]);
    expect(skippedPlugins([])).toEqual([]);
  });
});
