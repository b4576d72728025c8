import type { Authenticator, TokenIdentity } from './authenticator.js';
import type { Scope } from './scopes.js';
import { hashToken, verifyToken } from './token-hash.js';

/**
 * An authenticator over tokens given in code. The tokens are hashed at once and compared in
 * constant time, like the file-based one.
 *
 * @example
 * ```ts
 * const auth = createMemoryAuthenticator([{ name: 'ci', token: secret, scopes: ['submit'] }]);
 * ```
 */
export function createMemoryAuthenticator(
  tokens: readonly {
    readonly name: string;
    readonly token: string;
    readonly scopes: readonly Scope[];
  }[],
): Authenticator {
  const records = tokens.map((t) => ({ name: t.name, scopes: t.scopes, hash: hashToken(t.token) }));
  return {
    authenticate: (token) => Promise.resolve(findToken(records, token)),
  };
}

/**
 * The identity of the record whose hash `token` matches. Every record is checked (no early
 * exit), so the time taken does not tell which one matched.
 */
export function findToken(
  records: readonly {
    readonly name: string;
    readonly scopes: readonly Scope[];
    readonly hash: string;
  }[],
  token: string,
): TokenIdentity | null {
  let found: TokenIdentity | null = null;
  for (const record of records) {
    if (verifyToken(token, record.hash) && found === null) {
      found = { name: record.name, scopes: record.scopes };
    }
  }
  return found;
}
