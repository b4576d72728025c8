import fc from 'fast-check';
import { canonicalJson as engineCanonicalJson } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { canonicalJson, decodeInt, decodeJson } from './json-column.js';

describe('JSON and integer columns', () => {
  it('writes the same canonical text whatever the key order, and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}',
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it("writes exactly the text of the engine's canonicalJson (equivalence keys must match)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.object(), (json, object) => {
        expect(canonicalJson(json)).toBe(engineCanonicalJson(json));
        expect(canonicalJson(object)).toBe(engineCanonicalJson(object));
      }),
    );
  });

  it('reads JSON as text or as a value the driver already parsed', () => {
    expect(decodeJson('{"kind":"passive"}')).toEqual({ kind: 'passive' });
    expect(decodeJson({ kind: 'passive' })).toEqual({ kind: 'passive' });
  });

  it('reads 64-bit integers given as numbers, strings or bigints', () => {
    expect([decodeInt(1_700_000_000_000), decodeInt('1700000000000'), decodeInt(17n)]).toEqual([
      1_700_000_000_000, 1_700_000_000_000, 17,
    ]);
  });
});
