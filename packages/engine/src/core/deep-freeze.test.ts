import { describe, expect, it } from 'vitest';
import { deepFreeze, freezeJson, isFrozenJson } from './deep-freeze.js';
import { transition } from './transition.js';
import { T0, nodeIn, spec } from './test-support/node-fixtures.js';

describe('deepFreeze', () => {
  it('freezes a value and everything it holds, in place', () => {
    const value = { a: [{ b: 1 }, 'x'], c: { d: null } };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.a)).toBe(true);
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(Object.isFrozen(value.c)).toBe(true);
  });

  it('takes an object frozen already as done; isFrozenJson still sees what is not', () => {
    const inner = { n: 1 };
    const outer = deepFreeze({ held: Object.freeze({ inner }) });
    expect(Object.isFrozen(inner)).toBe(false);
    expect(isFrozenJson(outer)).toBe(false);
  });
});

describe('isFrozenJson', () => {
  it('is true for frozen plain JSON all the way down, and for scalars', () => {
    expect(isFrozenJson(deepFreeze({ a: [1, 'x', true, null, { b: [] }] }))).toBe(true);
    expect(isFrozenJson('x')).toBe(true);
    expect(isFrozenJson(null)).toBe(true);
    expect(isFrozenJson(Object.freeze(Object.create(null) as object))).toBe(true);
  });

  it('is false as soon as anything could change or is not JSON', () => {
    expect(isFrozenJson({ a: 1 })).toBe(false);
    expect(isFrozenJson(Object.freeze({ a: { b: 1 } }))).toBe(false);
    expect(isFrozenJson(Object.freeze([[1]]))).toBe(false);
    expect(isFrozenJson(deepFreeze({ a: undefined }))).toBe(false);
    expect(isFrozenJson(deepFreeze({ a: Number.NaN }))).toBe(false);
    expect(isFrozenJson(deepFreeze({ a: () => 1 }))).toBe(false);
    expect(isFrozenJson(Object.freeze(new Date(0)))).toBe(false);
    expect(isFrozenJson(deepFreeze({ when: new Date(0) }))).toBe(false);
    expect(isFrozenJson(undefined)).toBe(false);
    expect(isFrozenJson(Number.POSITIVE_INFINITY)).toBe(false);
  });

  it('remembers what freezeJson froze, but only when it is JSON', () => {
    const json = freezeJson({ nodes: [{ id: 'a', tags: ['t'] }] });
    expect(isFrozenJson(json)).toBe(true);
    const notJson = freezeJson({ a: [undefined] });
    expect(Object.isFrozen(notJson.a)).toBe(true);
    expect(isFrozenJson(notJson)).toBe(false);
  });
});

describe('what the core hands out', () => {
  it('is deep-frozen JSON: the node, the states it entered, the history, event payloads', () => {
    const node = nodeIn(spec({ id: 'n', make: { backend: 'fake' } }), {
      kind: 'starting',
      jobName: 'j',
    });
    const run = { pid: 7, host: { name: 'h' } };
    const result = transition(node, { kind: 'started', run, time: T0 + 1 });
    expect(result.node.state.kind).toBe('running');
    expect(Object.isFrozen(result.node)).toBe(true);
    expect(isFrozenJson(result.node.state)).toBe(true);
    expect(Object.isFrozen(run.host)).toBe(true);
    expect(result.history).toHaveLength(1);
    for (const entry of result.history) expect(isFrozenJson(entry)).toBe(true);
  });
});
