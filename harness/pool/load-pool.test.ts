import { describe, expect, it } from 'vitest';
import { checkSnapshot } from './load-pool.ts';

describe('checkSnapshot', () => {
  const snapshot = { counter: 0, sessions: [], locks: [] };

  it('accepts a snapshot that says what its counter counts, or says nothing (browsers)', () => {
    for (const counts of [undefined, 'browsers', 'contexts', 'pages'])
      expect(() => checkSnapshot({ ...snapshot, counts }, 'p')).not.toThrow();
  });

  it('names a counts that is not one of the kinds', () => {
    expect(() => checkSnapshot({ ...snapshot, counts: 'tabs' }, 'my-pool.ts')).toThrow(
      'my-pool.ts: inspect() returned counts = "tabs"; it must be one of browsers, contexts, pages (what the counter counts)',
    );
  });
});
