import { ENGINE_ERROR_CODES, KetrewError } from '../errors.js';
import type { Backend } from '../ports/backend.js';
import { guardBackend } from './guard-backend.js';

/**
 * The engine's backends by name, each behind `guardBackend`. Throws a `KetrewError`
 * (`invalid-state`) when two share a name.
 */
export function guardBackends(backends: readonly Backend[]): ReadonlyMap<string, Backend> {
  const byName = new Map<string, Backend>();
  for (const backend of backends) {
    if (byName.has(backend.name)) {
      throw new KetrewError(ENGINE_ERROR_CODES.invalidState, `two backends named ${backend.name}`);
    }
    byName.set(backend.name, guardBackend(backend));
  }
  return byName;
}
