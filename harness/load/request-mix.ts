import type { Random } from '../random.ts';

/** One job the load asks for, and how often relative to the others. */
export interface MixBody {
  store: string;
  pages: number;
  weight: number;
}

/**
 * Which body of `mix` the next request carries: drawn by weight from `random`, so the n-th request
 * of a load carries the same body on every run of one seed (which connection sends it is the
 * network's doing).
 */
export function mixPicker(mix: readonly MixBody[], random: Random): () => number {
  const total = mix.reduce((sum, body) => sum + body.weight, 0);
  return () => {
    let left = random.next() * total;
    for (const [index, body] of mix.entries()) {
      left -= body.weight;
      if (left < 0) return index;
    }
    // Rounding can leave a sliver past the last weight.
    return mix.length - 1;
  };
}
