import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { prometheusName } from '../telemetry/metrics/prometheus-name.ts';
import type { Admission } from './admission.ts';

/** Request latency buckets in seconds: from a refused request (~1 ms) to a long scrape. */
const LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The service's own metrics, beside the run's: requests by route and status (their rate is the
 * request rate), latency, the admission queue and refusals. Names follow the same OpenTelemetry →
 * Prometheus rules as the run's metrics.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: prometheusName('tally.service.requests', '{request}', 'counter'),
    help: 'HTTP requests answered, by route and status code.',
    labelNames: ['http_route', 'http_response_status_code'],
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: prometheusName('http.server.request.duration', 's', 'histogram'),
    help: 'Time from a request arriving to its answer being sent, by route and status code.',
    labelNames: ['http_route', 'http_response_status_code'],
    buckets: LATENCY_BUCKETS_S,
    registers: [this.registry],
  });
  readonly #rejected = new Counter({
    name: prometheusName('tally.service.rejected', '{request}', 'counter'),
    help: 'Job requests refused with 429 by admission control, by reason (queue full, waited too long).',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  constructor(admission: Admission) {
    const registers = [this.registry];
    new Gauge({
      name: prometheusName('tally.service.queue.length', '{request}', 'gauge'),
      help: 'Job requests waiting for a free slot.',
      registers,
      collect() {
        this.set(admission.queued);
      },
    });
    new Gauge({
      name: prometheusName('tally.service.jobs.running', '{job}', 'gauge'),
      help: "Jobs admitted and not yet settled (at most the pool's maxBrowsers).",
      registers,
      collect() {
        this.set(admission.running);
      },
    });
  }

  answered(route: string, status: number, seconds: number): void {
    const labels = { http_route: route, http_response_status_code: String(status) };
    this.#requests.inc(labels);
    this.#duration.observe(labels, seconds);
  }

  rejected(reason: string): void {
    this.#rejected.inc({ reason });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
