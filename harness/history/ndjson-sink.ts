import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Appends one JSON line per event to a file, buffered and written synchronously in chunks, so the
 * history on disk is complete up to the last flush even if the process is interrupted.
 */
export class NdjsonSink {
  #fd: number;
  #buffer: string[] = [];
  #bytes = 0;

  constructor(
    path: string,
    private readonly flushBytes = 256 * 1024,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'w');
  }

  write(value: unknown): void {
    const line = JSON.stringify(value);
    this.#buffer.push(line);
    this.#bytes += line.length + 1;
    if (this.#bytes >= this.flushBytes) this.flush();
  }

  flush(): void {
    if (this.#buffer.length === 0 || this.#fd < 0) return;
    writeSync(this.#fd, `${this.#buffer.join('\n')}\n`);
    this.#buffer = [];
    this.#bytes = 0;
  }

  close(): void {
    if (this.#fd < 0) return;
    this.flush();
    closeSync(this.#fd);
    this.#fd = -1;
  }
}
