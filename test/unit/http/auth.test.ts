import { describe, expect, it } from 'vitest';
import { httpConfigProblems, isLoopback } from '../../../runtime/http/index.ts';

describe('HTTP listen rules', () => {
  it('knows the loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', '128.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });

  it('requires a token beyond loopback only', () => {
    expect(httpConfigProblems({ enabled: true, host: '127.0.0.1' })).toEqual([]);
    expect(httpConfigProblems({ enabled: false, host: '0.0.0.0' })).toEqual([]);
    expect(httpConfigProblems({ enabled: true, host: '0.0.0.0', token: 't' })).toEqual([]);
    expect(httpConfigProblems({ enabled: true, host: '0.0.0.0' })).toEqual([expect.stringMatching(/^http\.token: required when http\.host is "0\.0\.0\.0"/)]);
  });
});
