import { isAbsolute, resolve } from 'node:path';
import type { MlForecastingOptions } from '../options.ts';
import { MemoryDemandStore } from './memory.ts';
import type { DemandStore } from './types.ts';

export type { DemandStore, SeriesKey, SeriesSnapshot, DemandObservation, LevelObservation, Observations } from './types.ts';
export { MemoryDemandStore } from './memory.ts';

/**
 * The store the options name. SQLite and PostgreSQL are imported only when asked for: the plugin
 * module is also imported on worker threads, which never touch the store and need not load a
 * native addon or a database driver.
 */
export async function createDemandStore(options: MlForecastingOptions['store'], cwd = process.cwd()): Promise<DemandStore> {
  if (options.kind === 'memory') return new MemoryDemandStore();
  if (options.kind === 'postgres') {
    const { PostgresDemandStore } = await import('./postgres.ts');
    return PostgresDemandStore.open(options.url, options.schema);
  }
  const { SqliteDemandStore } = await import('./sqlite.ts');
  const path = options.path === ':memory:' || isAbsolute(options.path) ? options.path : resolve(cwd, options.path);
  return new SqliteDemandStore(path);
}
