import { describe, expect, it } from 'vitest';
import { generateToken, hashToken, isTokenHash, verifyToken } from './token-hash.js';

describe('token hashing', () => {
  it('verifies the token a hash was made from, and no other', () => {
    const token = generateToken();
    const hash = hashToken(token);
    expect(verifyToken(token, hash)).toBe(true);
    expect(verifyToken(`${token}x`, hash)).toBe(false);
    expect(verifyToken(token.slice(0, -1), hash)).toBe(false);
    expect(verifyToken('', hash)).toBe(false);
  });

  it('salts every hash: the same token hashes differently twice', () => {
    const token = 'a-token-chosen-by-a-user';
    const first = hashToken(token);
    const second = hashToken(token);
    expect(first).not.toBe(second);
    expect(verifyToken(token, first) && verifyToken(token, second)).toBe(true);
  });

  it('never contains the token', () => {
    const token = generateToken();
    expect(hashToken(token)).not.toContain(token.slice(4));
    expect(isTokenHash(hashToken(token))).toBe(true);
  });

  it.each(['', 'sha256', 'sha256$abc', 'md5$abc$def', 'sha256$abc$short', 'plain-token'])(
    'refuses the malformed hash %j',
    (hash) => {
      expect(verifyToken('anything', hash)).toBe(false);
    },
  );

  it('generates distinct URL-safe tokens of 256 bits', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^ktr_[A-Za-z0-9_-]{43}$/);
  });
});
