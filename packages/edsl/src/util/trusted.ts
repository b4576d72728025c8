import { deepFreeze } from './deep-freeze.js';

const trustedValues = new WeakSet<object>();

/**
 * Marks a value the EDSL built and validated itself: it is frozen (so it cannot become invalid)
 * and `toWorkflowSpec` need not validate it again, which keeps flattening 100,000 nodes fast.
 * A value is trusted only if everything it contains is.
 */
export function trusted<T extends object>(value: T): T {
  trustedValues.add(deepFreeze(value));
  return value;
}

export function isTrusted(value: unknown): boolean {
  return typeof value === 'object' && value !== null && trustedValues.has(value);
}

/** `value` marked trusted if every part is, else as it is (left unfrozen: it may be the user's). */
export function trustedIf<T extends object>(parts: readonly unknown[], value: T): T {
  return parts.every(isTrusted) ? trusted(value) : value;
}
