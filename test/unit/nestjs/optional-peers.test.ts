/**
 * NestJS is an optional peer: a host that never imports `stokcerdas/nestjs` must not need it
 * installed, so nothing else under runtime/ may import @nestjs/*, reflect-metadata or rxjs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };

const root = resolve(import.meta.dirname, '../../..');
const PEERS = /(?:from\s+|import\s*\(\s*|import\s+)'(@nestjs\/[^']+|reflect-metadata|rxjs[^']*)'/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('NestJS stays optional', () => {
  it('is imported only under runtime/nestjs', () => {
    const offenders = files(join(root, 'runtime'))
      .filter((f) => !relative(root, f).startsWith('runtime/nestjs/'))
      .filter((f) => PEERS.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
    expect(files(join(root, 'runtime/nestjs')).some((f) => PEERS.test(readFileSync(f, 'utf8')))).toBe(true);
  });

  it('is declared as optional peers and installed for development only', () => {
    for (const name of ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs']) {
      expect(pkg.peerDependenciesMeta[name as keyof typeof pkg.peerDependenciesMeta]).toEqual({ optional: true });
      expect(Object.keys(pkg.dependencies)).not.toContain(name);
      expect(Object.keys(pkg.devDependencies)).toContain(name);
    }
  });
});
