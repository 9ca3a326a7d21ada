import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SinkOptions {
  /** Write once this much is buffered, whatever the time. */
  flushBytes?: number;
  /** Write what is buffered at least this often: the most of the history a SIGKILL or an OOM kill can take. */
  flushEveryMs?: number;
}

/**
 * Appends one JSON line per event to a file, buffered and written synchronously in chunks: when
 * enough is buffered, on a short timer, and whenever the owner calls `flush()` (at a violation).
 * A run that is killed outright, which no handler sees, keeps its history up to the last timer.
 */
export class NdjsonSink {
  #fd: number;
  #buffer: string[] = [];
  #bytes = 0;
  readonly #flushBytes: number;
  readonly #timer: NodeJS.Timeout;
  #failed: unknown;

  constructor(path: string, options: SinkOptions = {}) {
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'w');
    this.#flushBytes = options.flushBytes ?? 256 * 1024;
    this.#timer = setInterval(() => this.#flushOnTimer(), options.flushEveryMs ?? 100);
    // The timer writes what there is; it must not keep a finished process alive.
    this.#timer.unref();
  }

  write(value: unknown): void {
    this.#throwIfFailed();
    const line = JSON.stringify(value);
    this.#buffer.push(line);
    this.#bytes += line.length + 1;
    if (this.#bytes >= this.#flushBytes) this.flush();
  }

  /**
   * A write that fails on the timer (a full disk) has no caller to tell, and thrown there it would
   * end the process as an uncaught exception: it is kept and thrown at the next write or close,
   * where the run ends with it as its error.
   */
  #flushOnTimer(): void {
    try {
      this.flush();
    } catch (error) {
      this.#failed = error;
      clearInterval(this.#timer);
    }
  }

  #throwIfFailed(): void {
    if (this.#failed !== undefined) throw this.#failed;
  }

  flush(): void {
    if (this.#buffer.length === 0 || this.#fd < 0) return;
    writeSync(this.#fd, `${this.#buffer.join('\n')}\n`);
    this.#buffer = [];
    this.#bytes = 0;
  }

  close(): void {
    if (this.#fd < 0) return;
    clearInterval(this.#timer);
    try {
      this.#throwIfFailed();
      this.flush();
    } finally {
      closeSync(this.#fd);
      this.#fd = -1;
    }
  }
}
