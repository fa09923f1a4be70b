/**
 * Where real-broker tests get RabbitMQ: RABBITMQ_URL, else the local
 * broker, else a testcontainers RabbitMQ when a Docker engine answers, else a clear failure.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';

export const LOCAL_BROKER_URL = 'amqp://guest:guest@127.0.0.1:5672';

let cached: Promise<string> | undefined;
let container: { stop(): Promise<unknown> } | undefined;

/** The broker URL for this process (resolved once, then cached). */
export function getBrokerUrl(): Promise<string> {
  cached ??= resolveBrokerUrl();
  return cached;
}

async function resolveBrokerUrl(): Promise<string> {
  const fromEnv = process.env.RABBITMQ_URL;
  if (fromEnv) return fromEnv;
  // generous: under a full parallel test run on 2 cores the AMQP handshake alone can take seconds
  if (await answers(LOCAL_BROKER_URL, 10_000)) return LOCAL_BROKER_URL;
  const docker = await dockerAnswers();
  if (docker) {
    const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
    const started = await new RabbitMQContainer('rabbitmq:3.10-management').start();
    container = started;
    process.once('beforeExit', () => void container?.stop());
    return started.getAmqpUrl();
  }
  throw new Error(
    'No RabbitMQ for the broker tests: nothing answered at amqp://guest:***@127.0.0.1:5672 and no Docker engine ' +
      'answered for testcontainers. Provide one of: RABBITMQ_URL=amqp://user:pass@host:5672, ' +
      '`rabbitmq-server -detached` (local broker), or a running Docker engine.',
  );
}

/** TCP connect plus AMQP open, within `timeoutMs`. */
export async function answers(url: string, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const attempt = amqp.connect(url, { timeout: timeoutMs }).then(
    async (conn) => {
      await conn.close().catch(() => {});
      return true;
    },
    () => false,
  );
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('docker timeout')), 5_000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** A name prefix no other test file (or earlier run) uses: `t-<name>-<random>`. */
export function uniquePrefix(name: string): string {
  return `t-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}-${randomBytes(4).toString('hex')}`;
}

export interface DeclaredNames {
  queues?: string[];
  exchanges?: string[];
}

/**
 * Deletes what a test declared. Every name must start with `prefix` (so a typo cannot delete
 * someone else's queue). Without `names`, lists the local broker's queues and exchanges with
 * `rabbitmqctl` (there is no management API here) and deletes those under the prefix.
 */
export async function deleteByPrefix(url: string, prefix: string, names?: DeclaredNames): Promise<void> {
  if (prefix.length < 3) throw new Error(`deleteByPrefix: refusing the too-short prefix "${prefix}"`);
  const found = names ?? (await listByPrefix(prefix));
  const under = (n: string) => n.startsWith(prefix);
  const queues = (found.queues ?? []).filter(under);
  const exchanges = (found.exchanges ?? []).filter(under);
  if (queues.length + exchanges.length === 0) return;
  const conn = await amqp.connect(url);
  // a delete that fails closes its channel: one channel per name keeps the others going; one retry
  // covers a broker busy with a parallel test run
  const remove = async (kind: 'queue' | 'exchange', name: string) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const ch = await conn.createChannel();
        ch.on('error', () => {});
        if (kind === 'queue') await ch.deleteQueue(name);
        else await ch.deleteExchange(name);
        await ch.close().catch(() => {});
        return;
      } catch {
        // retried once, then left for `deleteByPrefix(url, prefix)` (rabbitmqctl sweep)
      }
    }
  };
  try {
    await Promise.all([...queues.map((q) => remove('queue', q)), ...exchanges.map((x) => remove('exchange', x))]);
  } finally {
    await conn.close().catch(() => {});
  }
}

async function listByPrefix(prefix: string): Promise<DeclaredNames> {
  const list = (what: 'list_queues' | 'list_exchanges') =>
    new Promise<string[]>((resolve) => {
      execFile('rabbitmqctl', ['-q', what, 'name'], { timeout: 30_000 }, (err, stdout) => {
        resolve(err ? [] : stdout.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(prefix)));
      });
    });
  const [queues, exchanges] = await Promise.all([list('list_queues'), list('list_exchanges')]);
  return { queues, exchanges };
}

/** Runs `rabbitmqctl` on the local broker (fault injection in test/reliability). */
export function rabbitmqctl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('rabbitmqctl', args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`rabbitmqctl ${args.join(' ')} failed: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * Closes only the connection(s) whose client-provided name is `connectionName`, through
 * `rabbitmqctl` (local broker): a fault for one test that leaves parallel tests alone.
 * Resolves to how many were closed.
 */
export async function closeConnectionNamed(connectionName: string, reason = 'test'): Promise<number> {
  const out = await rabbitmqctl('-q', 'list_connections', 'pid', 'client_properties');
  const pids = out
    .split('\n')
    // rabbitmqctl 3.10 prints {"connection_name","NAME"}; older ones print <<"NAME">>
    .filter((line) => line.includes(`{"connection_name","${connectionName}"}`) || line.includes(`<<"${connectionName}">>`))
    .map((line) => line.split('\t')[0].trim())
    .filter((pid) => pid.startsWith('<'));
  for (const pid of pids) await rabbitmqctl('close_connection', pid, reason);
  return pids.length;
}

/** Polls `check` every 25 ms until it holds (real-broker effects are asynchronous). */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
