import { describe, expect, it } from 'vitest';
import { parseFaultsFrom } from './serve.ts';

describe('--faults', () => {
  it('is the scenario by default, or admin; anything else is named as bad input', () => {
    expect(parseFaultsFrom(undefined)).toBe('scenario');
    expect(parseFaultsFrom('scenario')).toBe('scenario');
    expect(parseFaultsFrom('admin')).toBe('admin');
    expect(() => parseFaultsFrom('both')).toThrow(/^--faults both: expected scenario .* or admin/);
  });
});
