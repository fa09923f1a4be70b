import type { ResolvedConfig } from '../../config/schema.ts';
import type { BusinessContext, ExtensionValue } from '../events/types.ts';
import { IndonesianCalendar } from './indonesia/calendar.ts';
import { toExtensions } from './indonesia/extensions.ts';
import { IndonesianContextProvider } from './indonesia/indonesian-context-provider.ts';

export type { ContextProvider } from './provider.ts';

/** The host's provider: the Indonesian calendar, configured by the `context` key. */
export function createContextProvider(config: Pick<ResolvedConfig, 'context'>, now?: () => number): IndonesianContextProvider {
  return new IndonesianContextProvider(new IndonesianCalendar({ config: config.context }), { now });
}

/** The nested context flattened into CloudEvents extensions (docs/wire-format.md). */
export function contextExtensions(event: { context: BusinessContext }): Record<string, ExtensionValue> {
  return toExtensions(event.context) as unknown as Record<string, ExtensionValue>;
}
