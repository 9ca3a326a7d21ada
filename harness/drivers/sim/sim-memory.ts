/**
 * How much real memory a simulated browser or page holds in the Node heap for each MB it
 * accounts: 1/1000, so the story's 300 MB browser holds ~300 KB and a 25 MB page ~25 KB. A pool
 * that leaks a simulated browser then leaks real memory, which heap snapshots and the used heap
 * after GC see, while fifty live browsers cost the harness only ~15 MB.
 */
export const SIM_MEMORY_SCALE = 1 / 1000;

/** Bytes per element of a packed array of small integers (a tagged pointer on 64-bit Node). */
const BYTES_PER_ELEMENT = 8;

/**
 * The real memory standing for a simulated browser's or page's: an on-heap array (counted in the
 * used heap, unlike an ArrayBuffer's backing store) of `accountedMB × SIM_MEMORY_SCALE` MB. Its
 * own class, so a heap snapshot names it.
 */
export class SimMemory {
  readonly accountedMB: number;
  readonly #bytes: number[];

  constructor(accountedMB: number) {
    this.accountedMB = accountedMB;
    this.#bytes = new Array<number>(Math.round((accountedMB * 1e6 * SIM_MEMORY_SCALE) / BYTES_PER_ELEMENT)).fill(0);
  }

  get realBytes(): number {
    return this.#bytes.length * BYTES_PER_ELEMENT;
  }
}
