import { describe, expect, it } from 'vitest';
import { Admission, type Admitted } from './admission.ts';

describe('Admission', () => {
  it('admits up to capacity, queues up to the limit, refuses the rest at once', async () => {
    const admission = new Admission({ capacity: 2, queueLimit: 1, waitMs: 10_000 });
    const first = (await admission.acquire()) as Admitted;
    const second = await admission.acquire();
    expect([first.admitted, second.admitted]).toEqual([true, true]);
    const queued = admission.acquire();
    expect(admission.queued).toBe(1);
    expect(await admission.acquire()).toEqual({ admitted: false, reason: 'queue full' });
    first.release();
    expect((await queued).admitted).toBe(true);
    expect([admission.running, admission.queued]).toEqual([2, 0]);
  });

  it('refuses a waiter whose deadline passes, and frees its place', async () => {
    const admission = new Admission({ capacity: 1, queueLimit: 1, waitMs: 20 });
    const held = (await admission.acquire()) as Admitted;
    const started = performance.now();
    expect(await admission.acquire()).toEqual({ admitted: false, reason: 'waited too long' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(admission.queued).toBe(0);
    held.release();
    expect(admission.running).toBe(0);
  });

  it('frees a slot once however often it is released', async () => {
    const admission = new Admission({ capacity: 1, queueLimit: 0, waitMs: 0 });
    const held = (await admission.acquire()) as Admitted;
    held.release();
    held.release();
    expect(admission.running).toBe(0);
    const again = (await admission.acquire()) as Admitted;
    expect(again.admitted).toBe(true);
    expect((await admission.acquire()).admitted).toBe(false);
    again.release();
  });

  it('rejects a configuration that could never admit', () => {
    expect(() => new Admission({ capacity: 0, queueLimit: 1, waitMs: 1 })).toThrow(/capacity must be a positive integer/);
    expect(() => new Admission({ capacity: 1, queueLimit: -1, waitMs: 1 })).toThrow(/queueLimit/);
  });

  it('once closed refuses its waiters and every later caller', async () => {
    const admission = new Admission({ capacity: 1, queueLimit: 1, waitMs: 10_000 });
    const held = (await admission.acquire()) as Admitted;
    const waiting = admission.acquire();
    admission.close();
    expect(await waiting).toEqual({ admitted: false, reason: 'closed' });
    expect(await admission.acquire()).toEqual({ admitted: false, reason: 'closed' });
    held.release();
    expect([admission.running, admission.queued]).toEqual([0, 0]);
  });
});
