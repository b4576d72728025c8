import { describe, expect, it } from 'vitest';
import { quantile, summarize } from './latency-summary.js';
import type { ReadSample } from './open-loop.js';

const sample = (route: string, latencyMs: number, error: string | null = null): ReadSample => ({
  route,
  dueMs: 0,
  sendLagMs: 0,
  latencyMs,
  status: error === null ? 200 : 500,
  error,
  bytes: 10,
});

describe('quantile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.95)).toBe(95);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('summarize', () => {
  it('summarizes each route in the given order, then all of them', () => {
    const samples = [sample('b', 1), sample('a', 3), sample('a', 5), sample('b', 2)];
    const summaries = summarize(samples, ['a', 'b', 'unused']);
    expect(summaries.map((s) => s.route)).toEqual(['a', 'b', 'all']);
    expect(summaries[0]).toMatchObject({ count: 2, errors: 0, p50: 3, max: 5 });
    expect(summaries[2]).toMatchObject({ count: 4, p50: 2, max: 5 });
  });

  it('counts errors but leaves them out of the latencies', () => {
    const samples = [
      sample('a', 4),
      sample('a', 1, 'HTTP 500: boom'),
      sample('a', 2, 'HTTP 500: boom'),
    ];
    const [a] = summarize(samples);
    expect(a).toMatchObject({
      count: 3,
      errors: 2,
      p50: 4,
      max: 4,
      firstErrors: ['HTTP 500: boom'],
    });
  });
});
