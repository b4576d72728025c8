import { describe, expect, it } from 'vitest';
import { errorBackoffMs, retryDelayMs } from './backoff.js';
import { DEFAULT_CORE_CONFIG } from './core-config.js';

describe('errorBackoffMs', () => {
  it('doubles from the base and stops at the maximum', () => {
    expect([1, 2, 3, 4, 7, 8, 50].map((n) => errorBackoffMs(n, DEFAULT_CORE_CONFIG))).toEqual([
      1_000, 2_000, 4_000, 8_000, 60_000, 60_000, 60_000,
    ]);
  });
});

describe('retryDelayMs', () => {
  const policy = (initial: number, factor: number, max: number) => ({
    attempts: 1000,
    on: [],
    backoff: { initial, factor, max },
  });

  it('min(initial · factor^(attempt-1), max) seconds', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy(10, 3, 200), a))).toEqual([
      10_000, 30_000, 90_000, 200_000,
    ]);
    expect(retryDelayMs(policy(1.5, 1, 600), 9)).toBe(1_500);
  });

  it('stays finite for huge exponents, and zero for a zero initial delay', () => {
    expect(retryDelayMs(policy(10, 1e9, 600), 999)).toBe(600_000);
    expect(retryDelayMs(policy(0, 1e9, 600), 999)).toBe(0);
  });
});
