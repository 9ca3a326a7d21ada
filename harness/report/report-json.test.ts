import { describe, expect, it } from 'vitest';
import { INVARIANT_NAMES } from '../checkers/violation.ts';
import { MAX_REPORTED_VIOLATIONS, parseReport, replayCommand } from './report-json.ts';
import { driftViolation, sampleReport } from './testing/fixtures.ts';

describe('report.json', () => {
  it('carries the run, its replay command and a count for every invariant', () => {
    const report = sampleReport();
    expect(report.schema).toBe('tally.report/1');
    expect(report.replay).toBe('tally run scenarios/watchdog-storm.ts --pool story --driver sim --seed 7');
    expect(Object.keys(report.invariants)).toEqual([...INVARIANT_NAMES]);
    expect(report.verdict).toMatchObject({ code: 0, verdict: 'pass' });
    expect(report.startedAt).toBe('2025-01-02T03:04:05.000Z');
    expect(report.files).toContain('history.ndjson');
  });

  it('keeps the first violations with their context and counts them all', () => {
    const report = sampleReport({ mismatches: 60 });
    expect(report.violations).toHaveLength(MAX_REPORTED_VIOLATIONS);
    expect(report.violations[0]?.recent.length).toBeGreaterThan(0);
    expect(report.violationsTotal).toBe(60);
    expect(report.verdict.code).toBe(1);
  });

  it('adds budget violations to the counts, the list and the verdict', () => {
    const report = sampleReport({ mismatches: 60, growthMBPerHour: 100, budgets: { memoryGrowthMBPerHour: 50 } });
    expect(report.invariants.budget).toBe(1);
    expect(report.violationsTotal).toBe(61);
    expect(report.violations).toHaveLength(MAX_REPORTED_VIOLATIONS);
    expect(report.violations.at(-1)?.message).toBe(
      'memory growth 100 MB/h > budget 50 (fitted on 31 sample events from 00:00:00.000 to 00:30:00.000)',
    );
    expect(report.violations.at(-1)?.seq).toBe(report.figures.events - 1);
    expect(sampleReport({ growthMBPerHour: 100, budgets: { memoryGrowthMBPerHour: 50 } }).verdict.verdict).toBe('fail');
  });

  it('is undecided when its checkers were off, with violations or without: nothing was judged as it ran', () => {
    const unchecked = 'its invariants were not checked while it ran (checkers off)';
    const report = sampleReport({ unchecked });
    expect(report.verdict).toMatchObject({ code: 2, verdict: 'unknown' });
    expect(report.verdict.why).toContain(unchecked);
    expect(report.coverage.gaps).toEqual([unchecked]);
    // A budget the figures broke is a finding all the same.
    expect(sampleReport({ unchecked, growthMBPerHour: 100, budgets: { memoryGrowthMBPerHour: 50 } }).verdict.code).toBe(1);
  });

  it('quotes a replay path that a shell would split', () => {
    expect(replayCommand({ scenarioPath: "my scenarios/it's.ts", pool: './pools/mine.ts', driver: 'sim', seed: 3 })).toBe(
      `tally run 'my scenarios/it'\\''s.ts' --pool ./pools/mine.ts --driver sim --seed 3`,
    );
  });

  it('parses its own output back', () => {
    const report = sampleReport({ mismatches: 1 });
    expect(parseReport(JSON.stringify(report), 'runs/a/report.json')).toEqual(report);
    expect(report.violations[0]).toEqual(driftViolation());
  });

  it('rejects what is not a Tally report, naming the file', () => {
    expect(() => parseReport('{"name":"tally"}', 'package.json')).toThrow(
      /^package\.json is not a Tally report: expected schema 'tally\.report\/1', found no schema field$/,
    );
    expect(() => parseReport('not json', 'runs/x/report.json')).toThrow(
      /runs\/x\/report\.json is not a Tally report: it is not valid JSON/,
    );
    expect(() => parseReport('[1]', 'list.json')).toThrow(/list\.json is not a Tally report/);
    expect(() => parseReport('{"schema":"tally.report/9"}', 'future.json')).toThrow(/future\.json is a Tally report of another version/);
  });
});
