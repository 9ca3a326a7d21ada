/** A promise that never settles: what a held request waits on. */
const NEVER = new Promise<never>(() => {});

/**
 * Every wait of one request (its latency, the gaps of a drip) goes through its gate, so a stall
 * can hold the request wherever it is: the pending timer is dropped and no later wait passes.
 * Nothing then keeps the process alive; the site ends the socket when it closes.
 */
export class RequestGate {
  #timer: NodeJS.Timeout | undefined;
  #held = false;

  get held(): boolean {
    return this.#held;
  }

  async pass(ms: number): Promise<void> {
    if (ms > 0 && !this.#held) await new Promise<void>((resolve) => (this.#timer = setTimeout(resolve, ms)));
    this.#timer = undefined;
    if (this.#held) await NEVER;
  }

  hold(): void {
    this.#held = true;
    this.cancel();
  }

  /** The request is over (answered, abandoned, or the site is closing): drop its timer. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
