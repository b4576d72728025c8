import type { Scope } from './scopes.js';

/** Who a request comes from: the token's name and scopes. */
export interface TokenIdentity {
  readonly name: string;
  readonly scopes: readonly Scope[];
}

/**
 * Checks bearer tokens: the `auth` option of `createServer`. `null` means unknown token (401).
 * Implementations: `createTokenFileAuthenticator` (the tokens file, reloaded when it changes) and
 * `createMemoryAuthenticator` (tokens given in code, for embedding and tests).
 */
export interface Authenticator {
  authenticate(token: string): Promise<TokenIdentity | null>;
}
