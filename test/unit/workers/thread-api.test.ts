import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as full from '../../../runtime/index.ts';
import * as thread from '../../../runtime/workers/thread-api.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

describe("'stokcerdas' on a worker thread", () => {
  it('exports the same names as the package entry, from the same modules', () => {
    expect(Object.keys(thread).sort()).toEqual(Object.keys(full).sort());
    for (const name of Object.keys(full) as (keyof typeof full)[]) {
      if (name !== 'createHost') expect(thread[name], name).toBe(full[name]);
    }
  });

  it('refuses createHost with a coded error: a host runs on the main thread', () => {
    expect(() => thread.createHost({})).toThrow(expect.objectContaining({ code: 'STOKCERDAS_HOST_STATE' }));
  });

  it('is what package.json maps the worker-thread condition of "." to, ahead of the default', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> };
    const entry = pkg.exports['.']!;
    expect(Object.keys(entry)).toEqual(['types', 'stokcerdas-worker-thread', 'default']);
    expect(entry['stokcerdas-worker-thread']).toBe('./dist/runtime/workers/thread-api.js');
    expect(entry.default).toBe('./dist/runtime/index.js');
  });
});
