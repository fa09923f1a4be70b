import type { ResolvedConfig } from '../../config/schema.ts';
import type { ParsedCli } from '../../config/flags.ts';
import { hostname } from 'node:os';
import { createLogger } from '../observability/logger.ts';
import { loadPlugins, resolveBindings } from '../plugins/index.ts';
import { createTransport, selectTransportKind } from '../transport/index.ts';
import type { Transport } from '../transport/contract.ts';
import { systemClock } from '../clock/index.ts';
import { countDeadLetters, peekDeadLetters, replayDeadLetters, type DeadLetterSummary } from './dead-letters.ts';
import { discardDeadLetters } from './discard.ts';
import { createProgress, type ProgressStream } from '../terminal/progress.ts';
import { parseDeadLetterFilter } from './filter.ts';
import { dlqNamesFromTopology, resolveDlqName } from './dlq-names.ts';

export const DLQ_USAGE = `usage: stokcerdas dlq list
       stokcerdas dlq show <queue> [--limit N] [--json]
       stokcerdas dlq replay <queue> [--filter reason=R|type=PATTERN|R|PATTERN] [--limit N]
       stokcerdas dlq purge <queue> --yes [--filter reason=R|type=PATTERN]
<queue> is a DLQ or its work queue, with or without the prefix (ml.forecasting = stokcerdas.ml.forecasting.dlq)`;

/** The options `dlq` adds to the CLI's own (runtime/cli.ts passes them to parseCliArgs). */
export const DLQ_OPTIONS = {
  limit: { type: 'string' },
  filter: { type: 'string' },
  yes: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type Out = { log(line: string): void; error(line: string): void };

/** `stokcerdas dlq list|show|replay|purge`. Returns the exit code. */
export async function runDlqCommand(config: ResolvedConfig, cli: ParsedCli, out: Out = console, progress: ProgressStream = process.stderr): Promise<number> {
  const [action, name] = cli.positionals;
  if (!action || !['list', 'show', 'replay', 'purge'].includes(action) || (action !== 'list' && !name)) {
    out.error(DLQ_USAGE);
    return 1;
  }
  if (selectTransportKind(config) === 'memory') {
    out.error('dlq: the memory transport lives inside one host process; point the command at RabbitMQ (RABBITMQ_URL, --broker-url or broker.url)');
    return 1;
  }
  const limit = parseLimit(cli.values.limit);
  if (limit === null) {
    out.error(`dlq: --limit must be a positive integer (got ${String(cli.values.limit)})`);
    return 1;
  }
  if (action === 'purge' && cli.values.yes !== true) {
    out.error(`dlq purge deletes every message in ${resolveDlqName(config.broker.prefix, name!)} for good: add --yes`);
    return 1;
  }
  const filter = parseDeadLetterFilter(typeof cli.values.filter === 'string' ? cli.values.filter : undefined);

  const queues = action === 'list' ? await topologyDlqs(config) : [resolveDlqName(config.broker.prefix, name!)];
  const transport = createTransport(config, { clock: systemClock, logger: createLogger({ level: 'warn' }), hostName: `${hostname()}/${process.pid}/dlq` });
  await transport.connect();
  try {
    return await act(action, queues, transport, { limit, filter, json: cli.values.json === true }, out, progress);
  } finally {
    await transport.close();
  }
}

async function act(
  action: string,
  queues: string[],
  transport: Transport,
  opts: { limit: number | undefined; filter: ReturnType<typeof parseDeadLetterFilter>; json: boolean },
  out: Out,
  progressStream: ProgressStream,
): Promise<number> {
  const queue = queues[0]!;
  switch (action) {
    case 'list': {
      const counts = await countDeadLetters(transport, queues);
      const width = Math.max(...counts.map((c) => c.queue.length), 5);
      out.log(`${'queue'.padEnd(width)}  messages`);
      for (const c of counts) out.log(`${c.queue.padEnd(width)}  ${c.messages ?? '(not declared)'}`);
      out.log(`${counts.reduce((n, c) => n + (c.messages ?? 0), 0)} dead letters in ${counts.length} queues`);
      return 0;
    }
    case 'show': {
      const letters = await peekDeadLetters(transport, queue, opts.limit ?? 20);
      const total = (await transport.queueInfo(queue)).messages;
      if (opts.json) for (const l of letters) out.log(JSON.stringify(l));
      else {
        out.log(`${queue}: ${total} messages, showing ${letters.length} (left in the queue)`);
        letters.forEach((l, i) => out.log(describe(l, i)));
      }
      return 0;
    }
    case 'replay': {
      const bar = createProgress(`replay ${queue}`, (await transport.queueInfo(queue)).messages, progressStream);
      let replayed = 0;
      const result = await replayDeadLetters(transport, queue, {
        filter: opts.filter,
        limit: opts.limit,
        onReplayed: () => replayed++,
        onProgress: (seen, total) => bar.update(seen, total),
      });
      bar.finish(`replayed ${replayed}`);
      out.log(
        `${queue}: replayed ${result.replayed}` +
          (result.skipped ? `, left ${result.skipped} not matching the filter` : '') +
          (result.unroutable ? `, left ${result.unroutable} without x-original-exchange/x-original-routing-key` : ''),
      );
      return 0;
    }
    case 'purge': {
      const bar = createProgress(`purge ${queue}`, (await transport.queueInfo(queue)).messages, progressStream);
      const purged = await discardDeadLetters(transport, queue, { filter: opts.filter, limit: opts.limit, onProgress: (seen, total) => bar.update(seen, total) });
      bar.finish(`deleted ${purged}`);
      out.log(`${queue}: purged ${purged} messages${opts.filter ? ' matching the filter (the rest left in the queue)' : ''}`);
      return 0;
    }
  }
  return 1;
}

async function topologyDlqs(config: ResolvedConfig): Promise<string[]> {
  const { plugins, problems } = await loadPlugins({ ...config.plugins });
  const { bindings } = resolveBindings(plugins, config, { ignorePlugins: problems.map((p) => p.plugin) });
  return dlqNamesFromTopology(config, bindings);
}

function parseLimit(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
}

function describe(l: DeadLetterSummary, i: number): string {
  const lines = [
    `#${i + 1} ${l.messageId ?? '(no id)'}  ${l.type}`,
    `   reason ${l.reason ?? '?'} after ${l.attempts ?? '?'} attempts in ${l.handler ?? '?'} on ${l.host ?? '?'} at ${l.failedAt ?? '?'}`,
    `   error  ${l.errorType ?? ''}: ${l.errorMessage ?? ''}`,
    `   from   ${l.originalExchange || '(default exchange)'} / ${l.originalRoutingKey ?? '?'} → ${l.originalQueue ?? '?'}` +
      (l.tenant ? `   tenant ${l.tenant}` : '') +
      (l.correlationId ? `   correlation ${l.correlationId}` : ''),
    `   body   ${l.body.length > 300 ? `${l.body.slice(0, 300)}…` : l.body}`,
  ];
  return lines.join('\n');
}
