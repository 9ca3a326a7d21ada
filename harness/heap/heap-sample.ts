import { getHeapStatistics } from 'node:v8';
import type { EventData } from '../history/events.ts';
import { timedGc } from './gc.ts';

/**
 * At most this many heap samples per run (a few more when the scenario sets its own interval).
 * Each costs a full GC: 20–70 ms on an idle machine, 100–400 ms on a busy one, where 31 samples
 * made the legacy soak take 34–38 s instead of 23–26 s. A dozen points fit the slope of a leak that
 * grows steadily; the used heap between them is not worth a GC.
 */
export const MAX_HEAP_SAMPLES = 12;

/** The heap sample interval: the scenario's own, else its sample interval, stretched to keep about MAX_HEAP_SAMPLES. */
export function heapSampleEveryMs(scenario: {
  durationMs: number;
  sampleEveryMs: number;
  heap: { sampleEveryMs?: number | undefined };
}): number {
  return scenario.heap.sampleEveryMs ?? Math.max(scenario.sampleEveryMs, Math.ceil(scenario.durationMs / MAX_HEAP_SAMPLES));
}

/** The used heap of this process (the one that holds the pool) after a full GC, and what the GC cost. */
export function sampleHeap(): EventData['heap.sample'] {
  const gcMs = timedGc();
  return { usedMB: hundredths(getHeapStatistics().used_heap_size / 1e6), gcMs: hundredths(gcMs) };
}

/** Heap figures in the history: MB and ms to two decimals. */
export function hundredths(value: number): number {
  return Math.round(value * 100) / 100;
}
