import { describe, expect, it } from 'vitest';
import { checkBind, isLoopback } from './bind.ts';

describe('checkBind', () => {
  it('lets loopback through with or without a token', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1']) {
      expect(isLoopback(host), host).toBe(true);
      expect(() => checkBind(host, undefined)).not.toThrow();
    }
  });

  it('refuses any other address without a token of 16 characters or more, saying which', () => {
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '128.0.0.1', 'example.com', '::ffff:10.0.0.5']) {
      expect(isLoopback(host), host).toBe(false);
      expect(() => checkBind(host, undefined)).toThrow(`--host ${host}: listening beyond loopback needs a bearer token`);
      expect(() => checkBind(host, 'short')).toThrow(/it is too short/);
      expect(() => checkBind(host, 'x'.repeat(16))).not.toThrow();
    }
  });
});
