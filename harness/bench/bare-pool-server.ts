/**
 * The same pool behind a bare `node:http` server with no Tally at all: no recorder subscribers, no
 * checkers, no metrics, no traces, no admission queue, no validation beyond JSON.parse. The
 * baseline `npm run bench:service` measures `tally serve` against.
 *
 *   node --import tsx harness/bench/bare-pool-server.ts <pool> <scenario> [--set key=value]...
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RealClock } from '../clock/real-clock.ts';
import { Recorder } from '../history/recorder.ts';
import { loadPool } from '../pool/load-pool.ts';
import { seededRandom } from '../random.ts';
import { SIM_ORIGIN, simDriver } from '../runner/backends/sim-backend.ts';
import { loadScenario } from '../scenario/load-scenario.ts';
import { reviewScrape } from '../workload/review-job.ts';

const [poolName = 'fixed', scenarioName = 'service', ...rest] = process.argv.slice(2);
const overrides = rest.filter((_, i) => rest[i - 1] === '--set');
const { scenario } = await loadScenario(scenarioName, overrides);
const clock = new RealClock(scenario.real.timeScale);
// The sim driver reports to a recorder; nobody listens to this one.
const driver = simDriver(scenario, clock, new Recorder(() => clock.now()), seededRandom(1));
const pool = (await loadPool(poolName)).create({
  driver,
  clock,
  random: seededRandom(2),
  config: { ...scenario.pool },
  report: () => {},
});

let next = 1;
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    const { store, pages } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { store: string; pages: number };
    const jobId = `r${next++}`;
    const work = reviewScrape({ jobId, origin: SIM_ORIGIN, store, pages }, { throwNext: false }, () => {});
    try {
      const reviews = await pool.run({ id: jobId, work });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: jobId, ok: true, reviews }));
    } catch (error) {
      response.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ id: jobId, ok: false, error: String(error) }));
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`ready: POST http://127.0.0.1:${(server.address() as AddressInfo).port}/jobs`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.close().finally(async () => {
    await driver.shutdown();
    clock.dispose();
  });
});
