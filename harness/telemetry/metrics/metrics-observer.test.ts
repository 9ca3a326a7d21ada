import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers.ts';
import { HistoryBuilder } from '../../checkers/testing/history-builder.ts';
import { executeRun } from '../../commands/execute-run.ts';
import type { AnyEvent } from '../../history/events.ts';
import { createMetricsObserver, type MetricsObserver } from './metrics-observer.ts';

const started: MetricsObserver[] = [];
afterEach(async () => {
  for (const observer of started.splice(0)) await observer.stop();
});

async function observer(options: Parameters<typeof createMetricsObserver>[0]): Promise<MetricsObserver> {
  const made = await createMetricsObserver(options);
  started.push(made);
  return made;
}

function sampleValue(text: string, name: string, labelPart = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labelPart));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const reachable = async (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  );

describe('metrics observer', () => {
  it('serves /metrics on loopback with the exposition content type, and nothing else', async () => {
    const metrics = await observer({ port: 0 });
    expect(metrics.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const page = await fetch(metrics.url!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('version=0.0.4');
    expect(await page.text()).toBe(''); // no run.start yet
    expect((await fetch(metrics.url!.replace('/metrics', '/'))).status).toBe(404);
  });

  it('names the port when it is taken', async () => {
    const first = await observer({ port: 0 });
    const port = Number(new URL(first.url!).port);
    await expect(createMetricsObserver({ port })).rejects.toThrow(
      `--metrics-port ${port}: cannot listen on 127.0.0.1:${port}: the port is in use`,
    );
  });

  it('serves nothing without a port, and still keeps the metrics', async () => {
    const metrics = await observer({});
    expect(metrics.url).toBeUndefined();
    const h = new HistoryBuilder();
    h.start();
    h.launch('b1', 'j1');
    h.launched('b1', 'j1');
    h.settle({ counter: 1, sessions: ['j1'] });
    for (const event of h.events) metrics.event?.(event);
    expect(sampleValue(await metrics.render(), 'tally_pool_browsers')).toBe(1);
    expect(sampleValue(await metrics.render(), 'tally_browsers_alive', 'view="driver"')).toBe(1);
    await metrics.close?.('unused');
    await metrics.stopped;
  });

  it('closes when the run ends, or after the hold, or at once when the hold is aborted', async () => {
    const plain = await observer({ port: 0 });
    await plain.close?.('unused');
    await plain.stopped;
    expect(await reachable(plain.url!)).toBe(false);

    const held = await observer({ port: 0, holdMs: 300 });
    const began = performance.now();
    await held.close?.('unused');
    expect(await reachable(held.url!)).toBe(true);
    await held.stopped;
    expect(performance.now() - began).toBeGreaterThanOrEqual(250);
    expect(await reachable(held.url!)).toBe(false);

    const controller = new AbortController();
    const interrupted = await observer({ port: 0, holdMs: 60_000, signal: controller.signal });
    await interrupted.close?.('unused');
    controller.abort();
    await interrupted.stopped;
    expect(await reachable(interrupted.url!)).toBe(false);
  });

  it('ends with the values of the history and the report of a real run', async () => {
    const metrics = await observer({ port: 0, holdMs: 60_000 });
    const out = tempDir();
    const { report } = await executeRun({ scenario: 'watchdog-storm', pool: 'legacy', out, observers: [metrics] });
    const text = await (await fetch(metrics.url!)).text();
    const events = readFileSync(join(out, 'history.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AnyEvent);

    for (const [invariant, count] of Object.entries(report.invariants))
      expect(sampleValue(text, 'tally_violations_total', `tally_invariant="${invariant}"`)).toBe(count);
    expect(sampleValue(text, 'tally_jobs_finished_total', 'tally_job_outcome="ok"')).toBe(report.figures.jobs.ok);
    expect(sampleValue(text, 'tally_jobs_finished_total', 'tally_job_outcome="failed"')).toBe(report.figures.jobs.failed);
    expect(sampleValue(text, 'tally_watchdog_fires_total')).toBe(events.filter((e) => e.kind === 'pool.watchdog').length);
    expect(sampleValue(text, 'tally_browser_closes_total')).toBe(
      events.filter((e) => e.kind === 'browser.down' && e.data.cause === 'close').length,
    );
    expect(sampleValue(text, 'tally_faults_total', 'tally_fault_kind="stall"')).toBe(report.figures.faultCount);
    expect(sampleValue(text, 'tally_history_events_total')).toBe(events.length);
    const lastSettle = events.filter((e) => e.kind === 'settle' && e.data.counter !== undefined).at(-1);
    expect(sampleValue(text, 'tally_pool_browsers')).toBe(lastSettle?.kind === 'settle' ? lastSettle.data.counter : undefined);
    expect(sampleValue(text, 'tally_browsers_alive', 'tally_view="driver"')).toBe(0); // the harness killed what was left
  });
});
