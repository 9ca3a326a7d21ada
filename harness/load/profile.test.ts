import { describe, expect, it } from 'vitest';
import { parseProfile, profileOutcome } from './profile.ts';

describe('--profile and what clinic made of its run', () => {
  it('takes doctor, flame and heapprofiler; refuses bubbleprof, which hangs, and anything else', () => {
    expect(parseProfile('doctor')).toBe('doctor');
    expect(parseProfile(undefined)).toBeUndefined();
    expect(() => parseProfile('bubbleprof')).toThrow(
      /^--profile bubbleprof: expected one of doctor, flame, heapprofiler: clinic bubbleprof hangs/,
    );
    expect(() => parseProfile('x')).toThrow(/^--profile x: expected one of doctor, flame, heapprofiler$/);
  });

  it('links the page clinic says it generated, relative to the run folder', () => {
    const outcome = profileOutcome(
      'doctor',
      '/runs/a',
      { code: 0, signal: null },
      { stdout: 'Analysing data\nGenerated HTML file is file:///runs/a/clinic/service.clinic-doctor.html\n', stderr: '' },
    );
    expect(outcome).toEqual({ tool: 'doctor', html: 'clinic/service.clinic-doctor.html' });
  });

  it("says why there is no page: clinic's error after the service's own lines, not its stack", () => {
    const stderr = [
      'SIGTERM: stopping the run and writing what it has (again to quit at once)',
      'Error: Process forcefully closed before processstat file generation',
      '    at /node_modules/clinic/bin.js:326:95',
      '',
    ].join('\n');
    const outcome = profileOutcome('doctor', '/runs/a', { code: 1, signal: null }, { stdout: 'Analysing data\n', stderr });
    expect(outcome).toEqual({
      tool: 'doctor',
      missing: 'clinic doctor exited with 1 without a page: Error: Process forcefully closed before processstat file generation',
    });
    expect(profileOutcome('flame', '/runs/a', { code: null, signal: 'SIGKILL' }, { stdout: '', stderr: '' }).missing).toBe(
      'clinic flame was killed (SIGKILL) without a page: it printed nothing',
    );
  });
});
