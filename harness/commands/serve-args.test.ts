import { describe, expect, it } from 'vitest';
import { parseCheckers, parseFaultsFrom } from './serve.ts';

describe('--faults', () => {
  it('is the scenario by default, or admin; anything else is named as bad input', () => {
    expect(parseFaultsFrom(undefined)).toBe('scenario');
    expect(parseFaultsFrom('scenario')).toBe('scenario');
    expect(parseFaultsFrom('admin')).toBe('admin');
    expect(() => parseFaultsFrom('both')).toThrow(/^--faults both: expected scenario .* or admin/);
  });
});

describe('--checkers', () => {
  it('is on by default, or off; anything else is named as bad input', () => {
    expect(parseCheckers(undefined)).toBe(true);
    expect(parseCheckers('on')).toBe(true);
    expect(parseCheckers('off')).toBe(false);
    expect(() => parseCheckers('no')).toThrow(/^--checkers no: expected on \(the default\) or off/);
  });
});
