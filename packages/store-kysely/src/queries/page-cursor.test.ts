import { describe, expect, it } from 'vitest';
import { decodePageCursor, encodePageCursor } from './page-cursor.js';

describe('page cursors', () => {
  it('round-trip a position', () => {
    const position = { createdAt: 1_700_000_000_123, id: 'wf.node:é' };
    expect(decodePageCursor(encodePageCursor(position))).toEqual(position);
  });

  it('reject anything they did not make with a RangeError', () => {
    for (const bad of ['', 'not a cursor', Buffer.from('[1]').toString('base64url')]) {
      expect(() => decodePageCursor(bad)).toThrow(RangeError);
    }
    expect(() => decodePageCursor(Buffer.from('[1.5,"a"]').toString('base64url'))).toThrow(
      RangeError,
    );
  });
});
