/**
 * The sides by name. Each is loaded only in the process that runs it, so one side's libraries
 * never sit in another side's heap or RSS. A side spec is a name, or `runtime@<dir>`: the runtime
 * from another checkout, to compare a commit against this one.
 */
import { resolve } from 'node:path';
import type { Side } from './contract.ts';

export interface SideEntry {
  label: string;
  /** runs on a quorum queue too (BENCH_QUEUE=quorum) */
  quorum: boolean;
  /** `root`: another checkout (only the runtime side takes one) */
  load(root?: string): Promise<Side>;
}

export const catalogue = {
  runtime: { label: 'this runtime (confirms, validation, context, dedupe, metrics)', quorum: true, load: async (root?: string) => (await import('./runtime.ts')).runtimeSide(root) },
  rawSameJobCoalesced: {
    label: 'raw amqplib doing the same job, acks coalesced every 50: the like-for-like client',
    quorum: true,
    load: async () => (await import('./raw.ts')).rawSameJobCoalesced,
  },
  moleculer: { label: 'Moleculer 0.14 + @moleculer/channels AMQP adapter (no publisher confirms)', quorum: false, load: async () => (await import('./moleculer.ts')).moleculerSide },
  rascal: { label: 'Rascal 21 (confirms)', quorum: false, load: async () => (await import('./rascal.ts')).rascalSide },
  rawSameJob: {
    label: 'raw amqplib doing the same job (JSON CloudEvent built, sent with confirms, parsed, acked one by one)',
    quorum: true,
    load: async () => (await import('./raw.ts')).rawSameJob,
  },
  rawPrebuilt: { label: 'raw amqplib, one prebuilt buffer never read (default exchange, acked one by one)', quorum: true, load: async () => (await import('./raw.ts')).rawPrebuilt },
  rawSameRoute: { label: "raw amqplib on the runtime's route, one prebuilt buffer never read, acks coalesced", quorum: true, load: async () => (await import('./raw.ts')).rawSameRoute },
  transport: { label: "the runtime's AMQP transport alone, one prebuilt buffer (default exchange)", quorum: true, load: async () => (await import('./transport.ts')).transport },
} satisfies Record<string, SideEntry>;

export type SideName = keyof typeof catalogue;

export const isSideName = (name: string): name is SideName => Object.hasOwn(catalogue, name);

export interface SideSpec {
  /** as given, e.g. `runtime@../before`: the key of its figures */
  spec: string;
  name: SideName;
  /** absolute path of the other checkout, for `runtime@<dir>` */
  root?: string;
}

export function parseSide(spec: string): SideSpec {
  const at = spec.indexOf('@');
  const name = at < 0 ? spec : spec.slice(0, at);
  if (!isSideName(name)) throw new Error(`unknown side "${name}"`);
  if (at < 0) return { spec, name };
  if (name !== 'runtime' || at === spec.length - 1) throw new Error(`"${spec}": only the runtime side takes a checkout (runtime@<dir>)`);
  return { spec, name, root: resolve(spec.slice(at + 1)) };
}

/** the table's label: the side's, and the checkout it was loaded from */
export const labelOf = ({ name, root }: SideSpec) => (root ? `${catalogue[name].label}, from ${root}` : catalogue[name].label);

/** what runs without BENCH_SIDES: the peers the performance targets name, and the runtime */
export const defaultSides: Record<'classic' | 'quorum', SideName[]> = {
  classic: ['runtime', 'rawSameJobCoalesced', 'moleculer', 'rascal', 'rawSameJob', 'rawPrebuilt'],
  quorum: ['runtime', 'rawSameJobCoalesced'],
};
