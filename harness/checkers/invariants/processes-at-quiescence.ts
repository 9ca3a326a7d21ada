import type { OsBrowserTree } from '../../history/events.ts';
import { type Invariant, NO_VIOLATIONS, violationAt } from '../invariant.ts';
import type { World } from '../world.ts';

/**
 * Once every job has settled and the pool is closed, the operating system holds no process of the
 * run: the runner records an `os.sample` (reason `quiescent`) just before `run.quiescent`, and any
 * process in it is a leak, whether a browser the pool never closed or children that outlived their
 * main process. Real drivers only.
 */
export const processesAtQuiescence: Invariant<undefined> = {
  name: 'processes-at-quiescence',
  kinds: ['os.sample'],
  init: () => undefined,
  check(world, _state, event) {
    if (event.kind !== 'os.sample' || event.data.reason !== 'quiescent') return NO_VIOLATIONS;
    const left = event.data.browsers.filter((tree) => tree.pids.length > 0);
    if (left.length === 0) return NO_VIOLATIONS;
    const { processes, pssMB } = event.data;
    const message = `after close: ${processes} processes of ${left.length} browsers remain (${pssMB} MB PSS): ${left.map((tree) => describe(world, tree)).join(', ')}`;
    const values = {
      browsers: left.length,
      browserIds: left.map((tree) => tree.browser),
      processes,
      pssMB,
      // `b3: 4121 4130 4133`, one entry per browser.
      pids: left.map((tree) => `${tree.browser}: ${tree.pids.join(' ')}`),
      neverClosed: left.filter((tree) => world.alive.has(tree.browser)).map((tree) => tree.browser),
      orphaned: left.filter((tree) => tree.mainPid === undefined).map((tree) => tree.browser),
    };
    return [violationAt(world, 'processes-at-quiescence', event, message, values)];
  },
};

/** `b3 (never closed, main 4121, 3 processes, 212.5 MB)`, `b7 (main gone, 2 processes, 40 MB)`. */
function describe(world: World, tree: OsBrowserTree): string {
  const parts: string[] = [];
  if (world.alive.has(tree.browser)) parts.push('never closed');
  parts.push(tree.mainPid === undefined ? 'main gone' : `main ${tree.mainPid}`);
  parts.push(`${tree.pids.length} processes`, `${tree.pssMB} MB`);
  return `${tree.browser} (${parts.join(', ')})`;
}
