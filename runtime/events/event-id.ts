import { randomFillSync } from 'node:crypto';

/**
 * A random (version 4) UUID, as `crypto.randomUUID()` makes it, for the id of every event
 * published. Node's builds the text by joining 20 small strings: about 0.6 KB of garbage per id,
 * and an id that stays a tree of string pieces until something reads it whole (the JSON encoder,
 * while the event waits in a queue). Here the 36 characters are written into one scratch buffer
 * and read out as one flat string. The randomness is the same: the CSPRNG, fetched 256 ids at a time.
 */
const IDS_PER_FILL = 256;
const pool = Buffer.allocUnsafeSlow(16 * IDS_PER_FILL);
let next = IDS_PER_FILL;
const text = Buffer.allocUnsafeSlow(36);
const HEX = Buffer.from('0123456789abcdef', 'latin1');

export function eventId(): string {
  if (next === IDS_PER_FILL) {
    randomFillSync(pool);
    next = 0;
  }
  let from = next * 16;
  next++;
  let at = 0;
  for (let i = 0; i < 16; i++, from++) {
    let byte = pool[from]!;
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 4122 variant
    if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = 0x2d; // '-'
    text[at++] = HEX[byte >> 4]!;
    text[at++] = HEX[byte & 0x0f]!;
  }
  return text.toString('latin1', 0, 36);
}
