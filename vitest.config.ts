import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'test/**/*.test.ts'],
    // Forks give each test file its own process, so a test that counts processes or memory
    // does not see another file's.
    pool: 'forks',
    // Two files at a time, whatever the core count: a real-browser file waits on its browsers about
    // half the time, and a second file fills that wait (on 2 cores the suite takes ~15 min instead of ~21).
    // Every verdict is independent of the machine's speed, so the contention between the two changes none.
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
    // A guard against a hang, not a judge of speed: a run that takes 10 s alone can take several times
    // that beside another file and a CPU-heavy neighbour on 2 cores.
    testTimeout: 180_000,
  },
});
