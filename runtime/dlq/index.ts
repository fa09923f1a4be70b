/** Dead-letter tools for operators: list, show, replay, purge (see docs/failure-semantics.md). */
export { countDeadLetters, peekDeadLetters, replayDeadLetters, replayMessage, purgeDeadLetters } from './dead-letters.ts';
export type { DlqCount, DeadLetterSummary, ReplayOptions, ReplayResult } from './dead-letters.ts';
export { parseDeadLetterFilter, eventTypeOf, type DeadLetterFilter } from './filter.ts';
export { resolveDlqName, dlqNamesFromTopology } from './dlq-names.ts';
export { runDlqCommand, DLQ_OPTIONS, DLQ_USAGE } from './command.ts';
export { browseDeadLetters, deadLetterKey, type BrowseOptions, type BrowsePage, type BrowsedDeadLetter } from './browse.ts';
export { discardDeadLetters, type DiscardOptions } from './discard.ts';
