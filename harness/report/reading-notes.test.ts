import { describe, expect, it } from 'vitest';
import { readingNotes } from './reading-notes.ts';
import { sampleReport } from './testing/fixtures.ts';

describe('reading notes', () => {
  it('say nothing when there is nothing to warn of', () => {
    expect(readingNotes(sampleReport())).toEqual([]);
  });

  it('name the jobs a run ended without, and how many more there were', () => {
    const report = sampleReport({ endReason: 'deadline' });
    report.figures.unsettledJobs = { count: 23, sessions: ['job-4', 'job-9'] };
    expect(readingNotes(report)).toEqual([
      '23 jobs never settled (started, never ended; the run ended: deadline): job-4, job-9, and 21 more.',
    ]);
  });

  it('warn that a memory slope fitted through crashes runs through a sawtooth', () => {
    const report = sampleReport({ growthMBPerHour: 12 });
    report.figures.faultEntries = [
      { fault: 'crash', struck: 3, missed: 0, pending: 0 },
      { fault: 'stall', struck: 5, missed: 0, pending: 0 },
    ];
    const [note] = readingNotes(report);
    expect(note).toMatch(/^Memory is fitted over 31 samples through 3 browser crashes/);
    expect(note).toContain('the slope (12 MB/h) runs through a sawtooth');
    // One crash is no sawtooth.
    report.figures.faultEntries = [{ fault: 'crash', struck: 1, missed: 0, pending: 0 }];
    expect(readingNotes(report)).toEqual([]);
  });

  it('name the trace: linked in Jaeger when sent, else the file that holds it', () => {
    const report = sampleReport();
    report.trace = { traceId: 'abc', sentTo: 'http://127.0.0.1:4318/v1/traces', jaegerUrl: 'http://localhost:16686/trace/abc' };
    expect(readingNotes(report)).toEqual([
      'Trace abc: sent to http://127.0.0.1:4318/v1/traces; in Jaeger at http://localhost:16686/trace/abc.',
    ]);
    report.trace = { traceId: 'abc', file: 'traces.otlp.json' };
    expect(readingNotes(report)[0]).toMatch(/^Trace abc: in traces.otlp.json/);
  });
});
