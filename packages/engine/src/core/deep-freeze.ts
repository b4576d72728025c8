/** Roots known to be deep-frozen plain JSON (see `freezeJson`): a verdict that can never change. */
const frozenJson = new WeakSet<object>();

/**
 * Freeze a JSON value in place: the value and every object and array reachable from it
 * (`Object.freeze` on each). Returns the value. Used on everything the core hands out (nodes,
 * states, history entries), so that a store can keep them as they are instead of copying them
 * (see `isFrozenJson`). Objects an event carries into a state (a backend's run state, a failure
 * reason) are frozen with it: pass objects you will not change.
 *
 * Meant for acyclic plain data. An object that is frozen already is taken as frozen all the way
 * down and not walked (so a run carried from state to state costs nothing); should it hold an
 * unfrozen object after all, `isFrozenJson` says so and a store copies it.
 *
 * @example
 * const state = deepFreeze({ kind: 'running', jobName, run, since: time });
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) freezeFresh(value);
  return value;
}

/**
 * `deepFreeze`, and when the value turns out to be plain JSON (see `isFrozenJson`), remember it,
 * so that `isFrozenJson` answers at once for it later instead of walking it again. For large
 * values checked more than once, e.g. a validated workflow spec.
 */
export function freezeJson<T>(value: T): T {
  deepFreeze(value);
  if (typeof value === 'object' && value !== null && isFrozenJsonWalk(value)) frozenJson.add(value);
  return value;
}

/**
 * Whether a value is JSON that nothing can change: strings, booleans, finite numbers and `null`,
 * and arrays and plain objects (prototype `Object.prototype` or `null`) that are frozen and hold
 * only such values, all the way down. False as soon as anything is not: an unfrozen object,
 * `undefined`, a function, a non-finite number, a class instance (a frozen `Date` can still be
 * set). Such a value can be shared instead of copied: neither its owner nor anyone else can
 * change it.
 */
export function isFrozenJson(value: unknown): boolean {
  if (typeof value === 'object' && value !== null && frozenJson.has(value)) return true;
  return isFrozenJsonWalk(value);
}

function isFrozenJsonWalk(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return isJsonScalar(value);
  if (!Object.isFrozen(value)) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) if (!isFrozenJsonWalk(value[i])) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  const fields = value as Record<string, unknown>;
  for (const key in fields) if (!isFrozenJsonWalk(fields[key])) return false;
  return true;
}

function isJsonScalar(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      return value === null;
    default:
      return false;
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Freeze an unfrozen object, and the unfrozen objects it holds. */
function freezeFresh(value: object): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null && !Object.isFrozen(item)) freezeFresh(item);
    }
  } else {
    const fields = value as Record<string, unknown>;
    for (const key in fields) {
      const field = fields[key];
      if (typeof field === 'object' && field !== null && !Object.isFrozen(field)) {
        freezeFresh(field);
      }
    }
  }
  Object.freeze(value);
}
