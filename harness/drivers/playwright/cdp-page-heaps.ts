import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { CDPSession } from 'playwright';
import type { PageHeaps } from '../types.ts';
import type { RecordedPage } from './recorded-browser.ts';

/**
 * Chromium pages' JS heaps through the DevTools protocol: `HeapProfiler.collectGarbage`,
 * `Runtime.getHeapUsage`, and `HeapProfiler.takeHeapSnapshot`, whose chunks
 * (`HeapProfiler.addHeapSnapshotChunk`) are streamed to the file as they come, so a large page
 * heap is never held whole in this process.
 *
 * One CDP session per page, kept from its first snapshot to `release()`: V8 forgets its heap
 * object ids when a session that used the heap profiler detaches, and the next snapshot numbers
 * every object afresh. memlab tells what was allocated after the baseline by those ids, so the
 * three snapshots of a page must come through one session.
 */
export class CdpPageHeaps implements PageHeaps {
  readonly #sessions = new Map<string, Promise<CDPSession>>();

  constructor(private readonly pages: () => Iterable<RecordedPage>) {}

  openPages(): string[] {
    return [...this.pages()].filter((page) => !page.isClosed()).map((page) => page.id);
  }

  async collect(id: string): Promise<number> {
    const session = await this.#sessionOf(id);
    await session.send('HeapProfiler.collectGarbage');
    const usage = await session.send('Runtime.getHeapUsage');
    return usage.usedSize / 1e6;
  }

  async write(id: string, file: string): Promise<void> {
    const session = await this.#sessionOf(id);
    const out = createWriteStream(file);
    const onChunk = ({ chunk }: { chunk: string }) => void out.write(chunk);
    session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    try {
      // The chunks all arrive before the command's answer.
      await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
      out.end();
      await finished(out);
    }
  }

  async release(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.all(
      sessions.map(async (opening) => {
        // A page that closed took its session with it: nothing to detach.
        const session = await opening.catch(() => undefined);
        await session?.detach().catch(() => undefined);
      }),
    );
  }

  #sessionOf(id: string): Promise<CDPSession> {
    const page = [...this.pages()].find((candidate) => candidate.id === id);
    if (page === undefined || page.isClosed()) return Promise.reject(new Error(`page ${id} is closed`));
    let session = this.#sessions.get(id);
    if (session === undefined) {
      session = page.page.context().newCDPSession(page.page);
      this.#sessions.set(id, session);
    }
    return session;
  }
}
