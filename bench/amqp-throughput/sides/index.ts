/**
 * The sides by name. Each is loaded only in the process that runs it, so one side's libraries
 * never sit in another side's heap or RSS.
 */
import type { Side } from './contract.ts';

export interface SideEntry {
  label: string;
  /** runs on a quorum queue too (BENCH_QUEUE=quorum) */
  quorum: boolean;
  load(): Promise<Side>;
}

export const catalogue = {
  runtime: { label: 'this runtime (confirms, validation, context, dedupe, metrics)', quorum: true, load: async () => (await import('./runtime.ts')).runtime },
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

/** what runs without BENCH_SIDES: the peers the performance targets name, and the runtime */
export const defaultSides: Record<'classic' | 'quorum', SideName[]> = {
  classic: ['runtime', 'rawSameJobCoalesced', 'moleculer', 'rascal', 'rawSameJob', 'rawPrebuilt'],
  quorum: ['runtime', 'rawSameJobCoalesced'],
};
