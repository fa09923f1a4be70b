import type { StokcerdasConfigInput } from './schema.ts';

/** Identity at run time; gives `stokcerdas.config.ts` its types and editor completion. */
export function defineConfig(input: StokcerdasConfigInput): StokcerdasConfigInput {
  return input;
}
