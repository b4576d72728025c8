import type { RetryPolicy } from '@ketrew/edsl';
import type { CoreConfig } from './core-config.js';

/**
 * Delay in milliseconds before retrying a phase after the `n`-th recoverable error in a row:
 * `min(errorBackoffBaseMs · 2^(n-1), errorBackoffMaxMs)`.
 *
 * @example errorBackoffMs(3, DEFAULT_CORE_CONFIG) // 4000
 */
export function errorBackoffMs(n: number, config: CoreConfig): number {
  return cappedExponential(config.errorBackoffBaseMs, 2, n, config.errorBackoffMaxMs);
}

/**
 * Delay in milliseconds between the failure of `attempt` and the start of attempt + 1, from a
 * node's retry policy (in seconds): `min(initial · factor^(attempt-1), max) · 1000`.
 *
 * @example retryDelayMs({ attempts: 3, on: ['lost'], backoff: { initial: 10, factor: 2, max: 600 } }, 2) // 20000
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const { initial, factor, max } = policy.backoff;
  return Math.round(cappedExponential(initial, factor, attempt, max) * 1000);
}

function cappedExponential(base: number, factor: number, n: number, max: number): number {
  if (base <= 0) return 0;
  // factor^(n-1) may overflow to Infinity; the cap keeps the result finite.
  return Math.min(base * factor ** Math.max(0, n - 1), max);
}
