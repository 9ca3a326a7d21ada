/**
 * Admission control as browser-pool services do it: at most `capacity` jobs at once, then a
 * bounded queue, each waiter for at most `waitMs`. Beyond that the caller is refused at once
 * (answered 429 with Retry-After), so overload costs a short answer, never memory or a crash.
 */
export interface AdmissionOptions {
  /** Jobs running at once (the pool's maxBrowsers). */
  capacity: number;
  /** Requests waiting for a slot; the next one is refused. */
  queueLimit: number;
  /** How long a request waits for a slot before it is refused. */
  waitMs: number;
}

export type Admitted = { admitted: true; release(): void };
export type Refused = { admitted: false; reason: 'queue full' | 'waited too long' | 'closed' };

interface Waiter {
  resolve(outcome: Admitted | Refused): void;
  timer: NodeJS.Timeout;
}

export class Admission {
  #running = 0;
  #closed = false;
  readonly #queue: Waiter[] = [];

  constructor(readonly options: AdmissionOptions) {
    for (const [name, value] of Object.entries(options))
      if (!(Number.isInteger(value) && value >= (name === 'capacity' ? 1 : 0)))
        throw new RangeError(`admission ${name} must be a ${name === 'capacity' ? 'positive' : 'non-negative'} integer, got ${value}`);
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** A slot now, a place in the queue until one frees up, or a refusal saying why. */
  acquire(): Promise<Admitted | Refused> {
    if (this.#closed) return Promise.resolve({ admitted: false, reason: 'closed' });
    if (this.#running < this.options.capacity) return Promise.resolve(this.#admit());
    if (this.#queue.length >= this.options.queueLimit) return Promise.resolve({ admitted: false, reason: 'queue full' });
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          this.#queue.splice(this.#queue.indexOf(waiter), 1);
          resolve({ admitted: false, reason: 'waited too long' });
        }, this.options.waitMs),
      };
      this.#queue.push(waiter);
    });
  }

  /** No job starts any more (the pool is being closed): every waiter and every later caller is refused. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve({ admitted: false, reason: 'closed' });
    }
  }

  /** Seconds a refused caller should wait before trying again: about one queue wait. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.options.waitMs / 1000));
  }

  #admit(): Admitted {
    this.#running++;
    let released = false;
    return {
      admitted: true,
      release: () => {
        // Once per admission, however often it is called: a slot is never freed twice.
        if (released) return;
        released = true;
        this.#running--;
        const next = this.#closed ? undefined : this.#queue.shift();
        if (next) {
          clearTimeout(next.timer);
          next.resolve(this.#admit());
        }
      },
    };
  }
}
