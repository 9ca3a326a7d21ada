import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { needsExecutable } from '../../../test/needs.ts';
import { HistoryBuilder } from '../../checkers/testing/history-builder.ts';
import { runExposition } from './exposition.ts';
import { RunMetrics } from './run-metrics.ts';

const PROMTOOL = '/usr/bin/promtool';

function sampleRun(): RunMetrics {
  const h = new HistoryBuilder();
  h.emit('run.start', {
    scenario: 'say "hi"\\',
    pool: './pools/my pool.ts',
    driver: 'sim',
    seed: 7,
    durationMs: 1,
    pool_config: {},
    timeScale: 1,
  });
  h.launch('b1', 'j1');
  h.launched('b1', 'j1');
  h.settle({ counter: 1, sessions: ['j1'], locks: [] });
  h.jobStart('j1');
  h.emit('job.end', { ok: true, ms: 2_500 }, { session: 'j1' });
  h.emit('fault.start', { fault: 'hang', id: 1, target: 'b1', forMs: 1_000 });
  const metrics = new RunMetrics();
  for (const event of h.events) metrics.event(event);
  return metrics;
}

const render = (metrics: RunMetrics) => runExposition(metrics).render();

/** `name{labels} value` lines, by name and the one label that tells them apart (or the whole label set). */
function sampleValue(text: string, name: string, ...labelParts: string[]): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labelParts.every((part) => l.includes(part)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('Prometheus exposition', () => {
  it('is empty until the run has started (nothing is known about it yet)', async () => {
    expect(await render(new RunMetrics())).toBe('');
  });

  it("puts the run's identity on every series, escaped", async () => {
    const text = await render(sampleRun());
    const series = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(series.length).toBeGreaterThan(20);
    for (const line of series)
      expect(line).toContain('tally_scenario="say \\"hi\\"\\\\",tally_pool="./pools/my pool.ts",tally_driver="sim",tally_seed="7"');
    expect(text).toContain('target_info{service_name="tally",');
  });

  it('writes the values, and histograms cumulatively with +Inf, sum and count', async () => {
    const text = await render(sampleRun());
    expect(sampleValue(text, 'tally_pool_browsers')).toBe(1);
    expect(sampleValue(text, 'tally_browsers_alive', 'tally_view="driver"')).toBe(1);
    expect(sampleValue(text, 'tally_browsers_alive', 'tally_view="os"')).toBeUndefined(); // no os.sample: no OS view, not a zero
    expect(sampleValue(text, 'tally_jobs_finished_total', 'tally_job_outcome="ok"')).toBe(1);
    expect(sampleValue(text, 'tally_job_duration_seconds_bucket', 'tally_job_outcome="ok"', 'le="1"')).toBe(0);
    expect(sampleValue(text, 'tally_job_duration_seconds_bucket', 'tally_job_outcome="ok"', 'le="5"')).toBe(1);
    expect(sampleValue(text, 'tally_job_duration_seconds_bucket', 'tally_job_outcome="ok"', 'le="3600"')).toBe(1);
    expect(sampleValue(text, 'tally_job_duration_seconds_bucket', 'tally_job_outcome="ok"', 'le="+Inf"')).toBe(1);
    expect(sampleValue(text, 'tally_job_duration_seconds_sum', 'tally_job_outcome="ok"')).toBe(2.5);
    expect(sampleValue(text, 'tally_faults_total', 'tally_fault_kind="hang"')).toBe(1);
    expect(sampleValue(text, 'tally_faults_active', 'tally_fault_kind="hang"')).toBe(1);
    expect(sampleValue(text, 'tally_violations_total', 'tally_invariant="quiescence"')).toBe(0);
  });

  describe.runIf(needsExecutable(PROMTOOL, 'npm run services (installs Debian prometheus, which ships promtool)'))(
    'checked by promtool',
    () => {
      it('parses and passes the linter (names, suffixes, HELP and TYPE)', async () => {
        const text = await render(sampleRun());
        // promtool exits non-zero and names the problem on a parse error or a lint finding.
        const output = execFileSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
        expect(output).toBe('');
      });
    },
  );
});
