// `tally load --profile`: the service runs under clinic while autocannon loads it; clinic's page
// lands in the run folder and the reports link it, and a clinic that fails costs the profile only.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../harness/report/report-json.ts';
import { processesNaming, tally, tempDir } from './helpers.ts';

const out = tempDir('tally-load-profile-');

function reportOf(folder: string): RunReport & { load: { requests: number } } {
  return JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
}

describe('tally load --profile on the sim driver', () => {
  it('doctor: clinic profiles the loaded service, its page is in the run folder and every report links it', {
    timeout: 120_000,
  }, async () => {
    const folder = join(out, 'doctor');
    const result = await tally(['load', '--profile', 'doctor', '--duration', '3', '--pages', '2', '--out', folder]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(folder);
    expect(report.verdict.verdict).toBe('pass');
    expect(report.load.requests).toBeGreaterThan(0);
    expect(report.profile).toEqual({ tool: 'doctor', html: 'clinic/service.clinic-doctor.html' });
    const page = join(folder, report.profile!.html!);
    // clinic's own page: its visualiser inlined, with the samples it took of the service.
    expect(statSync(page).size).toBeGreaterThan(100_000);
    expect(readFileSync(page, 'utf8')).toMatch(/"tool":"doctor"/);
    expect(readFileSync(join(folder, 'report.md'), 'utf8')).toContain('](clinic/service.clinic-doctor.html)');
    expect(readFileSync(join(folder, 'report.html'), 'utf8')).toContain('<a href="clinic/service.clinic-doctor.html">');
    expect(result.stdout).toContain(`profile: clinic doctor: ${page}`);
    expect(processesNaming(folder)).toEqual([]);
  });

  it('a clinic that fails: the run completes without it, and the reports say why the profile is missing', { timeout: 60_000 }, async () => {
    const folder = join(out, 'broken');
    const missingClinic = join(out, 'no-clinic', 'bin.js');
    const result = await tally(['load', '--profile', 'doctor', '--duration', '2', '--pages', '2', '--out', folder], {
      env: { TALLY_CLINIC: missingClinic },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = reportOf(folder);
    expect(report.verdict.verdict).toBe('pass');
    expect(report.load.requests).toBeGreaterThan(0);
    expect(report.profile?.tool).toBe('doctor');
    expect(report.profile?.html).toBeUndefined();
    expect(report.profile?.missing).toMatch(/^clinic doctor did not start the service: .*Cannot find module/);
    expect(readFileSync(join(folder, 'report.md'), 'utf8')).toContain(`No profile: ${report.profile!.missing}`);
    expect(readFileSync(join(folder, 'report.html'), 'utf8')).toContain('No profile: clinic doctor did not start the service');
    expect(existsSync(join(folder, 'clinic'))).toBe(false);
    expect(processesNaming(folder)).toEqual([]);
  });
});
