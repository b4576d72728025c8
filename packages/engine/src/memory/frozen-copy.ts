import { isFrozenJson } from '../core/deep-freeze.js';

/**
 * A deep, frozen copy of a JSON value, keeping exactly what a database's JSON column would:
 * `undefined`, functions and symbols vanish from objects (and become `null` in arrays),
 * non-finite numbers become `null`, `toJSON` is honoured.
 *
 * The memory store keeps such copies and hands them out without copying again: callers can
 * neither change what they gave (it was copied) nor what they got (it is frozen; in strict
 * code a write throws a TypeError). Objects seen twice in one call (e.g. a host shared by many
 * node specs) are copied once when a `memo` (original → copy) is given.
 */
export function frozenCopy<T>(value: T, memo: Map<object, unknown> | null = null): T {
  return copy(value, memo, false) as T;
}

type Memo = Map<object, unknown> | null;

function copy(value: unknown, memo: Memo, inArray: boolean): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object': {
      if (value === null) return null;
      if (memo === null) return copyObject(value, memo);
      const seen = memo.get(value);
      if (seen !== undefined) return seen;
      const result = copyObject(value, memo);
      memo.set(value, result);
      return result;
    }
    default:
      return inArray ? null : undefined;
  }
}

function copyObject(value: object, memo: Memo): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i += 1) out[i] = copy(value[i], memo, true);
    return Object.freeze(out);
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return copy(toJSON.call(value), memo, false);
  const out: Record<string, unknown> = {};
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const copied = copy(fields[key], memo, false);
    if (copied !== undefined) out[key] = copied;
  }
  return Object.freeze(out);
}

/**
 * What the store keeps of a value: the value itself when nothing can change it any more
 * (`isFrozenJson`: frozen plain JSON all the way down, as the engine's core and a validated
 * spec are), otherwise a `frozenCopy`. Either way the result is frozen JSON nobody else can
 * change, so it can be handed out without a copy.
 */
export function keptOrCopied<T>(value: T, memo: Map<object, unknown> | null = null): T {
  return isFrozenJson(value) ? value : frozenCopy(value, memo);
}
