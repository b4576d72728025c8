import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Tokens are kept as `sha256$<salt>$<digest>` (base64url): SHA-256 of a 16-byte random salt
 * followed by the token. A fast hash is enough because generated tokens carry 256 random bits (no
 * dictionary to try); the salt makes equal tokens hash differently. See docs/auth.md.
 */
export function hashToken(token: string, salt: Buffer = randomBytes(16)): string {
  return `sha256$${salt.toString('base64url')}$${digest(salt, token).toString('base64url')}`;
}

/** Whether `token` is the one `hash` was made from, compared in constant time. */
export function verifyToken(token: string, hash: string): boolean {
  const [algorithm, salt, expected] = hash.split('$');
  if (algorithm !== 'sha256' || salt === undefined || expected === undefined) return false;
  const actual = digest(Buffer.from(salt, 'base64url'), token);
  const wanted = Buffer.from(expected, 'base64url');
  return wanted.length === actual.length && timingSafeEqual(actual, wanted);
}

export function isTokenHash(value: string): boolean {
  return /^sha256\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]{43}$/.test(value);
}

/** A new random, URL-safe token: `ktr_` and 43 base64url characters (256 bits). */
export function generateToken(): string {
  return `ktr_${randomBytes(32).toString('base64url')}`;
}

function digest(salt: Buffer, token: string): Buffer {
  return createHash('sha256').update(salt).update(token, 'utf8').digest();
}
