import { describe, expect, it } from 'vitest';
import { FaultSchema } from '../scenario/schema.ts';
import { parseStrikeRequest, strikeRequestOf } from './strike-request.ts';

describe('strike requests', () => {
  it("carry a scenario fault's strike without its timing, and read back as the same strike", () => {
    const fault = FaultSchema.parse({ kind: 'hang', every: 120_000, forMs: 360_000, probability: 0.5, afterWorking: 1, minStrikes: 2 });
    const body = strikeRequestOf(fault, 3);
    expect(body).toEqual({ kind: 'hang', target: 'one', forMs: 360_000, afterWorking: 1, entry: 3 });
    expect(parseStrikeRequest(JSON.parse(JSON.stringify(body)))).toEqual({
      ok: true,
      fault: { kind: 'hang', target: 'one', forMs: 360_000, afterWorking: 1 },
      entry: 3,
    });
  });

  it('name the field that is wrong, and refuse timing and unknown fields', () => {
    const problem = (body: unknown) => {
      const parsed = parseStrikeRequest(body);
      return parsed.ok ? 'accepted' : parsed.problem;
    };
    expect(problem({ kind: 'slowClose' })).toMatch(/^forMs: `forMs` is required/);
    expect(problem({ kind: 'crash', target: 'some' })).toMatch(/^target: /);
    expect(problem({ kind: 'crash', entry: -1 })).toMatch(/^entry: /);
    expect(problem({ kind: 'crash', every: 1_000 })).toMatch(/every/);
    expect(problem([])).toMatch(/^body: /);
    expect(problem({ kind: 'crash' })).toBe('accepted');
  });
});
