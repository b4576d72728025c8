import type { ConditionSpec } from '@ketrew/edsl';

/**
 * Canonical text of a condition, host included, for equivalence: two conditions are equal iff
 * their keys are. Object keys are sorted so field order never matters. `null` (nothing to check)
 * has no key: such nodes are never merged.
 */
export function conditionKey(condition: ConditionSpec | null): string | null {
  return condition === null ? null : canonicalJson(condition);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
