/**
 * What each step of one event costs on its own, on the same seed-shaped payload as run.ts: the
 * publish side (schema, CloudEvent, context, extensions, then the memory transport's snapshot or
 * the JSON bytes AMQP gets) and the delivery side (the memory transport's copy per delivery, or
 * JSON back with the CloudEvent and schema checks; context, dedupe). One JSON line per step with
 * process CPU µs per call (median of ROUNDS; what the broker keeps while an event is queued is held
 * here too), and its cost against the JSON encode + decode pair, what a transport carrying bytes pays.
 *
 *   node --import tsx bench/memory-pipeline/stages.ts      (N=200000, ROUNDS=3)
 */
import { randomUUID } from 'node:crypto';
import { contextExtensions, createContextProvider } from '../../runtime/context/index.ts';
import { buildEvent, decodeDelivery, toCarriedMessage, toMessage } from '../../runtime/events/codec.ts';
import { eventId } from '../../runtime/events/event-id.ts';
import { SchemaRegistry } from '../../runtime/events/schemas.ts';
import type { CloudEventWire } from '../../runtime/events/types.ts';
import { MemoryDedupeStore } from '../../runtime/pipeline/dedupe-store.ts';
import type { Delivery } from '../../runtime/transport/contract.ts';
import { CarriedDelivery } from '../../runtime/transport/event-snapshot.ts';
import { copyJson } from '../../runtime/transport/json-copy.ts';
import { defaults } from '../../config/defaults.ts';

const N = Number(process.env.N ?? 200_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TYPE = 'inventory.stock.level.changed';
const VARIANTS = 1_000;

const registry = new SchemaRegistry();
const provider = createContextProvider({ context: defaults.context } as Parameters<typeof createContextProvider>[0]);
const dataschema = registry.dataschemaOf(TYPE);
const now = Date.now();
const payloads = Array.from({ length: VARIANTS }, (_, i) => ({
  productData: { id: `SKU-${i % 500}`, name: 'Beras 5kg' },
  locationData: { id: 'WH-JKT' },
  stockMovement: { type: 'sale' as const, quantity: -1 },
  stockLevel: { previous: 20, current: 19 },
}));
const built = payloads.map((data) => buildEvent(TYPE, data, { source: 'urn:stokcerdas:host:bench', now, tenantId: 't1', dataschema }));
const context = provider.contextFor(built[0]!, now);
const wires: CloudEventWire[] = built.map((event) => Object.assign(event, contextExtensions({ context })));
const messageOptions = { exchange: 'stokcerdas.inventory', priority: 0, ttlMs: 86_400_000, appId: 'stokcerdas', timeMs: now };
const messages = wires.map((event) => toMessage(event, messageOptions));
const deliveries: Delivery[] = messages.map((m) => ({ body: m.body, exchange: m.exchange, routingKey: TYPE, queue: 'q', properties: { ...m.properties }, redelivered: false }));
const carried = wires.map((event) => toCarriedMessage(event, messageOptions, registry.stamp));
/** a fresh delivery per call, as the broker makes one: its copy of the event is taken on first read */
const carriedDelivery = (i: number) => {
  const m = carried[i % VARIANTS]!;
  return new CarriedDelivery(m.event!, m.exchange, TYPE, 'q', m.properties, false);
};
const ids = Array.from({ length: N }, () => `bench/noop|${randomUUID()}`);

/** a fresh store per round, so `remember` pays the same growth and eviction each time */
let store = new MemoryDedupeStore({ maxEntries: defaults.dedupe.maxEntries, ttlMs: defaults.dedupe.ttlMs });

/** `held`: the memory broker keeps what this step makes until the event is delivered (the message, its id) */
const stages: Array<{ side: 'publish' | 'deliver'; stage: string; run: (i: number) => unknown; before?: () => void; held?: boolean }> = [
  { side: 'publish', stage: 'schema check (registry.accept)', run: (i) => registry.accept(TYPE, payloads[i % VARIANTS]) },
  { side: 'publish', stage: 'event id (eventId)', run: () => eventId(), held: true },
  { side: 'publish', stage: 'crypto.randomUUID, for comparison', run: () => randomUUID(), held: true },
  { side: 'publish', stage: 'CloudEvent (buildEvent)', run: (i) => buildEvent(TYPE, payloads[i % VARIANTS], { source: 'urn:stokcerdas:host:bench', now, tenantId: 't1', dataschema }) },
  { side: 'publish', stage: 'business context (time known)', run: (i) => provider.contextFor(wires[i % VARIANTS]!, now + i) },
  { side: 'publish', stage: 'context extensions', run: () => contextExtensions({ context }) },
  { side: 'publish', stage: 'JSON.stringify', run: (i) => JSON.stringify(wires[i % VARIANTS]) },
  { side: 'publish', stage: 'message (stringify + UTF-8 + properties)', run: (i) => toMessage(wires[i % VARIANTS]!, messageOptions), held: true },
  { side: 'publish', stage: 'snapshot of the CloudEvent (copyJson)', run: (i) => copyJson(wires[i % VARIANTS]), held: true },
  { side: 'publish', stage: 'carried message (snapshot + CloudEvent check + properties)', run: (i) => toCarriedMessage(wires[i % VARIANTS]!, messageOptions, registry.stamp), held: true },
  { side: 'deliver', stage: 'JSON.parse (body)', run: (i) => JSON.parse(deliveries[i % VARIANTS]!.body.toString('utf8')) },
  { side: 'deliver', stage: 'decode (parse + CloudEvent + schema)', run: (i) => decodeDelivery(deliveries[i % VARIANTS]!, registry, Date.now) },
  { side: 'deliver', stage: 'decode carried (a copy of its own, checks vouched for)', run: (i) => decodeDelivery(carriedDelivery(i), registry, Date.now) },
  { side: 'deliver', stage: 'business context (time parsed)', run: (i) => provider.contextFor(wires[i % VARIANTS]!) },
  {
    side: 'deliver',
    stage: 'dedupe seen + remember',
    before: () => (store = new MemoryDedupeStore({ maxEntries: defaults.dedupe.maxEntries, ttlMs: defaults.dedupe.ttlMs })),
    run: (i) => {
      const key = ids[i]!;
      if (!store.seen(key)) store.remember(key);
    },
  },
];

/** the last results of a `held` step stay alive, as queued events do: what survives a collection costs more */
const HELD = 20_000;
const held: unknown[] = new Array(HELD).fill(undefined);

function cpuPerCall(run: (i: number) => unknown, before?: () => void, holds = false): number {
  before?.();
  for (let i = 0; i < Math.min(N, HELD); i++) held[i] = run(i);
  held.fill(undefined);
  before?.();
  const cpu = process.cpuUsage();
  if (holds) for (let i = 0; i < N; i++) held[i % HELD] = run(i);
  else for (let i = 0; i < N; i++) run(i);
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / N;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const results = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round++) {
  // interleaved: every stage once per round, so a busy moment touches all of them alike
  for (const s of stages) {
    const list = results.get(s.stage) ?? [];
    list.push(cpuPerCall(s.run, s.before, s.held));
    held.fill(undefined);
    results.set(s.stage, list);
  }
}
const jsonPair = median(results.get('JSON.stringify')!) + median(results.get('JSON.parse (body)')!);
for (const s of stages) {
  const us = median(results.get(s.stage)!);
  console.log(JSON.stringify({ bench: 'memory-pipeline-stages', side: s.side, stage: s.stage, cpuUsPerCall: Number(us.toFixed(3)), ofJsonPair: Number((us / jsonPair).toFixed(2)) }));
}
console.log(JSON.stringify({ bench: 'memory-pipeline-stages', summary: 'median', date: new Date().toISOString().slice(0, 10), node: process.version, calls: N, rounds: ROUNDS, jsonPairCpuUs: Number(jsonPair.toFixed(3)) }));
