const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A fresh random prefix for the ids of one submission, e.g. `h3kq8zt0v2ab-`: 60 random bits
 * from the platform's cryptographic generator (Web Crypto), so ids never clash across
 * submissions.
 */
export function newNodeIdPrefix(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  let prefix = '';
  for (const byte of bytes) prefix += ALPHABET[byte % ALPHABET.length];
  return `${prefix}-`;
}
