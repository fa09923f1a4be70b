/** What each benchmark phase reports, and how it is taken. */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface Phase {
  eventsPerSec: number;
  /** main-thread event-loop delay while the phase ran: the loop that acks and answers /healthz */
  loopP99Ms: number;
  loopMaxMs: number;
  /** main-thread busy time per event (event-loop utilisation): what the pool takes off the loop */
  mainMsPerEvent: number;
  /** share of the machine's CPUs other processes used meanwhile (the box is shared) */
  otherCpu: number;
}

/** Busy and total CPU jiffies of the whole machine (Linux), to tell our load from everyone else's. */
function machineCpu(): { busy: number; total: number } {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - f[3]! - f[4]!, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Starts measuring a phase of `n` events; call the result when the last one is handled. */
export function measure(n: number): () => Phase {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const m0 = machineCpu();
  const elu0 = performance.eventLoopUtilization();
  loop.enable();
  return () => {
    const seconds = (performance.now() - started) / 1000;
    loop.disable();
    const own = process.cpuUsage(cpu0);
    const m1 = machineCpu();
    const ticks = m1.total - m0.total;
    // jiffies are 1/100 s summed over every CPU; cpuUsage is µs summed over every thread of ours
    const other = ticks > 0 ? Math.max(0, (m1.busy - m0.busy) / ticks - (own.user + own.system) / 1e6 / (ticks / 100)) : 0;
    return {
      eventsPerSec: Math.round(n / seconds),
      loopP99Ms: round(loop.percentile(99) / 1e6),
      loopMaxMs: round(loop.max / 1e6),
      mainMsPerEvent: Math.round((performance.eventLoopUtilization(elu0).active / n) * 1000) / 1000,
      otherCpu: round(other),
    };
  };
}

/** Other processes only ever slow a phase down: a mode's best round is closest to a quiet machine. */
export function best(phases: Phase[]): Phase {
  return [...phases].sort((a, b) => b.eventsPerSec - a.eventsPerSec)[0]!;
}

export function timePerCall(fn: () => unknown, n: number): number {
  for (let i = 0; i < Math.min(n, 200); i++) fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  return (performance.now() - t) / n;
}

export function round(x: number): number {
  return Math.round(x * 100) / 100;
}
