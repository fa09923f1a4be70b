/**
 * `Date.parse` for event times, remembering the last text it read. A delivery's `time` is parsed
 * when the CloudEvent is checked and again for its business context, and events published in one
 * millisecond carry the same text: the second and later reads are a string compare.
 */
let lastText: string | undefined;
let lastMs = Number.NaN;

export function parseTime(text: string): number {
  if (text === lastText) return lastMs;
  lastMs = Date.parse(text);
  lastText = text;
  return lastMs;
}
