import type { ConditionSpec } from '@ketrew/edsl';
import { canonicalJson } from './canonical-json.js';

/**
 * Canonical text of a condition, host included, for equivalence: two conditions are equal iff
 * their keys are. Object keys are sorted so field order never matters. `null` (nothing to check)
 * has no key: such nodes are never merged.
 */
export function conditionKey(condition: ConditionSpec | null): string | null {
  return condition === null ? null : canonicalJson(condition);
}
