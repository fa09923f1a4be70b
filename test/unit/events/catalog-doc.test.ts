import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogMarkdown, EVENTS_DOC } from '../../../runtime/events/catalog/document.ts';
import { catalog } from '../../../runtime/events/catalog/index.ts';

describe('docs/events.md', () => {
  it('is what the catalog generates (run `npm run docs:events` after changing a schema)', () => {
    expect(readFileSync(EVENTS_DOC, 'utf8')).toBe(catalogMarkdown());
  });

  it('documents every catalog type with its required fields', () => {
    const doc = catalogMarkdown();
    for (const type of Object.keys(catalog)) expect(doc).toContain(`### \`${type}\``);
    expect(doc).toContain('| `stockLevel.current` | integer | yes | ≥ 0 |');
    expect(doc).toContain('| `orderData.items[].productData.id` | string | yes | product id; non-empty |');
  });
});
