/** The figures every bench reports its repetitions by. */

/** The middle value (the upper middle of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function round(value: number, digits = 1): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/** The median, and the lowest and highest value, rounded alike. */
export function spread(values: readonly number[], digits = 2): { median: number; range: [number, number] } {
  return { median: round(median(values), digits), range: [round(Math.min(...values), digits), round(Math.max(...values), digits)] };
}
