import type { BusinessContext, CloudEventWire } from '../events/types.ts';

/**
 * Computes the business context for an event, for the event's own `time`. The runtime core ships
 * a provider that only fills the time zone from config; the Indonesian provider (context/indonesia)
 * implements the full calendar.
 */
export interface ContextProvider {
  /** `atMs`: the event's `time` as epoch ms, when the caller already has it */
  contextFor(event: CloudEventWire, atMs?: number): BusinessContext;
  /** the calendar plugins resolve as `calendar`, when the provider has one */
  readonly calendar?: object;
  /** what the host should warn about at start (reference data running out), if anything */
  startupWarning?(nowMs: number): string | undefined;
}
