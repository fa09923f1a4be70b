import { describe, expect, it } from 'vitest';
import { defineConfig } from '../../../config/define-config.ts';

describe('defineConfig', () => {
  it('returns the config it is given unchanged', () => {
    const input = { broker: { prefix: 'x' } };
    expect(defineConfig(input)).toBe(input);
  });
});
