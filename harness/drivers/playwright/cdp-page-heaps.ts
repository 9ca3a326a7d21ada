import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { CDPSession } from 'playwright';
import type { PageHeaps } from '../types.ts';
import type { RecordedPage } from './recorded-browser.ts';

/**
 * Chromium pages' JS heaps through the DevTools protocol: `HeapProfiler.collectGarbage`,
 * `Runtime.getHeapUsage`, and `HeapProfiler.takeHeapSnapshot`, whose chunks
 * (`HeapProfiler.addHeapSnapshotChunk`) are streamed to the file as they come, so a large page
 * heap is never held whole in this process. One CDP session per call, detached after it: a
 * session left attached to a page would outlive what it was opened for.
 */
export class CdpPageHeaps implements PageHeaps {
  constructor(private readonly pages: () => Iterable<RecordedPage>) {}

  openPages(): string[] {
    return [...this.pages()].filter((page) => !page.isClosed()).map((page) => page.id);
  }

  collect(id: string): Promise<number> {
    return this.#withSession(id, async (session) => {
      await session.send('HeapProfiler.collectGarbage');
      const usage = await session.send('Runtime.getHeapUsage');
      return usage.usedSize / 1e6;
    });
  }

  write(id: string, file: string): Promise<void> {
    return this.#withSession(id, async (session) => {
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
    });
  }

  async #withSession<R>(id: string, use: (session: CDPSession) => Promise<R>): Promise<R> {
    const page = [...this.pages()].find((candidate) => candidate.id === id);
    if (page === undefined || page.isClosed()) throw new Error(`page ${id} is closed`);
    const session = await page.page.context().newCDPSession(page.page);
    try {
      return await use(session);
    } finally {
      await session.detach().catch(() => undefined);
    }
  }
}
