/**
 * RabbitMQ topic matching. Words are separated by '.', `*` is exactly one word, `#` is zero or
 * more words. The empty routing key has zero words (rabbit_exchange_type_topic:split_topic_key),
 * so `*` does not match it but `#` does; 'a..b' has an empty middle word.
 */

export type TopicMatcher = (routingKey: string) => boolean;

// Patterns come from configuration, so the set is small; the cap only guards against a caller
// compiling routing keys by mistake.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, TopicMatcher>();

const matchAll: TopicMatcher = () => true;

function escapeWord(word: string): string {
  return word.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

function build(pattern: string): TopicMatcher {
  const words = pattern === '' ? [] : pattern.split('.');
  // '#.#' means the same as '#'; collapsing also keeps the regex free of nested ambiguity.
  const collapsed: string[] = [];
  for (const w of words) if (!(w === '#' && collapsed[collapsed.length - 1] === '#')) collapsed.push(w);

  const hasWildcard = collapsed.some((w) => w === '*' || w === '#');
  if (!hasWildcard) return (key) => key === pattern;
  if (collapsed.length === 1 && collapsed[0] === '#') return matchAll;

  // 'inventory.#' is the common shape: a literal prefix, then anything (including nothing).
  const last = collapsed.length - 1;
  const prefix = collapsed.slice(0, last).join('.');
  // (an empty prefix is one empty word, which the empty key — zero words — must not match)
  if (collapsed[last] === '#' && prefix !== '' && !collapsed.slice(0, last).some((w) => w === '*' || w === '#')) {
    const dotted = `${prefix}.`;
    return (key) => key === prefix || key.startsWith(dotted);
  }

  // Every word is matched with its leading dot, so "zero words" is the empty string and
  // `#` can swallow whole words without special cases at either end.
  const source = collapsed
    .map((w) => (w === '#' ? '(?:\\.[^.]*)*' : w === '*' ? '\\.[^.]*' : `\\.${escapeWord(w)}`))
    .join('');
  const re = new RegExp(`^${source}$`);
  return (key) => re.test(key === '' ? '' : `.${key}`);
}

/** A matcher for one binding pattern, compiled once and cached. */
export function compileTopic(pattern: string): TopicMatcher {
  let matcher = cache.get(pattern);
  if (matcher === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    matcher = build(pattern);
    cache.set(pattern, matcher);
  }
  return matcher;
}

export function topicMatches(pattern: string, routingKey: string): boolean {
  return compileTopic(pattern)(routingKey);
}
