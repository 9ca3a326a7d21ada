import { describe, expect, it } from 'vitest';
import { parseMetricsArgs } from './run-command-metrics.ts';

describe('tally run --metrics-*', () => {
  it('serves nothing without --metrics-port', () => {
    expect(parseMetricsArgs(undefined, undefined, undefined)).toBeUndefined();
  });

  it('defaults to loopback and no hold', () => {
    expect(parseMetricsArgs('9464', undefined, undefined)).toEqual({ port: 9464, holdSeconds: 0, host: '127.0.0.1' });
    expect(parseMetricsArgs('0', '2.5', '0.0.0.0')).toEqual({ port: 0, holdSeconds: 2.5, host: '0.0.0.0' });
  });

  it('names the bad option', () => {
    expect(() => parseMetricsArgs(undefined, '10', undefined)).toThrow('--metrics-hold: only with --metrics-port');
    expect(() => parseMetricsArgs(undefined, undefined, '0.0.0.0')).toThrow('--metrics-host: only with --metrics-port');
    for (const port of ['', '-1', '65536', '80.5', 'http'])
      expect(() => parseMetricsArgs(port, undefined, undefined)).toThrow(`--metrics-port ${port}: expected a port number`);
    for (const hold of ['', '-1', 'soon'])
      expect(() => parseMetricsArgs('0', hold, undefined)).toThrow(`--metrics-hold ${hold}: expected seconds`);
  });
});
