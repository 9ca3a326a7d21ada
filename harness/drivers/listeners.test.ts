import { describe, expect, it } from 'vitest';
import { type Delivery, Emitter } from './listeners.ts';

class Thing extends Emitter<'close' | 'crash'> {
  fire(event: 'close' | 'crash'): Delivery {
    return this.deliver(event, this);
  }
}

describe('Emitter', () => {
  it('calls listeners in order, once-listeners only once, and not after off or removeListener', () => {
    const thing = new Thing();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    const c = () => calls.push('c');
    thing.on('close', a).once('close', b).on('close', c).on('crash', a);
    expect(thing.listenerCount()).toBe(4);
    expect(thing.fire('close').listeners).toBe(3);
    expect(calls).toEqual(['a', 'b', 'c']);
    thing.off('close', a).removeListener('crash', a);
    expect(thing.listenerCount()).toBe(1);
    expect(thing.fire('close').listeners).toBe(1);
    expect(thing.fire('crash').listeners).toBe(0);
    expect(calls).toEqual(['a', 'b', 'c', 'c']);
  });

  it('removes one registration per off, the latest, as Node does', () => {
    const thing = new Thing();
    let n = 0;
    const count = () => n++;
    thing.on('close', count).on('close', count);
    thing.off('close', count);
    thing.fire('close');
    expect(n).toBe(1);
  });

  it('survives a listener that throws or rejects, and settles once every returned promise has', async () => {
    const thing = new Thing();
    let finished = false;
    thing.on('close', () => {
      throw new Error('pool bug');
    });
    thing.on('close', () => Promise.reject(new Error('pool bug')));
    thing.on('close', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      finished = true;
    });
    const { listeners, settled } = thing.fire('close');
    expect(listeners).toBe(3);
    expect(settled).toBeDefined();
    await settled;
    expect(finished).toBe(true);
  });

  it('reports no promise when every listener was synchronous', () => {
    const thing = new Thing();
    thing.on('close', () => 1);
    expect(thing.fire('close').settled).toBeUndefined();
  });
});
