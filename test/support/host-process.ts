/**
 * A host PROCESS started from a test fixture (`node --import tsx <fixture>`), ready once it prints
 * its `{"ready":true,…,"port":N}` line: the scale-out, host-fault and cluster tests kill these.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface HostProcess {
  name: string;
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `spawned` sees the child at once, so a test can kill it even when it never gets ready. */
export function startFixtureHost(fixture: string, name: string, env: Record<string, string>, timeoutMs: number, spawned?: (child: ChildProcess) => void): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned?.(child);
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start:\n${output}`)), timeoutMs);
    const onData = (d: Buffer) => {
      output += d;
      const line = output.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more) => (output += more));
        done({ name, child, port: (JSON.parse(line) as { port: number }).port, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (output += d));
    void exited.then(({ code }) => fail(new Error(`${name} exited (${code}) before it was ready:\n${output}`)));
  });
}
