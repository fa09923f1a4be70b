// One sample of "a new worker thread ready to take work", in a plain `node` process (no loader
// hooks of its own, as the host's main thread): a one-thread piscina pool on `filename`, timed until
// its first task (a check of no handlers: nothing but the thread and its entry module) comes back,
// then until a second task has imported a plugin module on that thread. Prints one JSON line.
//   node bench/start/thread-probe.mjs <piscina filename> <plugin module URL> <plugin> <handler>
import { Piscina } from 'piscina';

const [filename, file, plugin, handler] = process.argv.slice(2);
const started = performance.now();
// as the host's pool starts its threads (runtime/workers/pool.ts)
const pool = new Piscina({ filename, minThreads: 1, maxThreads: 1, idleTimeout: 60_000, execArgv: [...process.execArgv, '--conditions=stokcerdas-worker-thread'] });
const first = await pool.run({ kind: 'check', file, plugin, handlers: [], options: {} });
const readyMs = performance.now() - started;
const second = await pool.run({ kind: 'check', file, plugin, handlers: [handler], options: {} });
const pluginMs = performance.now() - started;
await pool.destroy();
if (!first.ok || !second.ok) throw new Error(`check failed: ${JSON.stringify(second.error ?? first.error)}`);
console.log(JSON.stringify({ readyMs: Math.round(readyMs * 10) / 10, pluginMs: Math.round(pluginMs * 10) / 10 }));
