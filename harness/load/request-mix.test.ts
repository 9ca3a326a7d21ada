import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random.ts';
import { mixPicker } from './request-mix.ts';

const mix = [
  { store: 'store-1', pages: 2, weight: 3 },
  { store: 'store-2', pages: 5, weight: 1 },
  { store: 'store-3', pages: 1, weight: 0.5 },
];

describe('mixPicker', () => {
  it('draws each body in proportion to its weight', () => {
    const pick = mixPicker(mix, seededRandom(1));
    const counts = [0, 0, 0];
    for (let i = 0; i < 9_000; i++) counts[pick()]!++;
    // Expected 6000, 2000, 1000; a seeded stream, so the tolerance only has to allow for its own draws.
    expect(counts[0]).toBeGreaterThan(5_700);
    expect(counts[1]).toBeGreaterThan(1_800);
    expect(counts[2]).toBeGreaterThan(850);
    expect(counts[2]).toBeLessThan(1_150);
  });

  it('draws the same sequence for the same seed, and another for another', () => {
    const draws = (seed: number) => Array.from({ length: 50 }, mixPicker(mix, seededRandom(seed)));
    expect(draws(7)).toEqual(draws(7));
    expect(draws(8)).not.toEqual(draws(7));
  });
});
