import { ServerError } from '../errors.js';
import { isScope, type Scope } from './scopes.js';
import { generateToken, hashToken } from './token-hash.js';
import { readTokensFile, TOKEN_NAME_PATTERN, writeTokensFile } from './tokens-file.js';

/** What `listTokens` shows of a token: everything but its hash. */
export interface TokenInfo {
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: string;
  readonly comment: string;
}

export interface CreateTokenOptions {
  readonly name: string;
  /** Default: `['read', 'submit', 'operate']`. */
  readonly scopes?: readonly Scope[] | undefined;
  readonly comment?: string | undefined;
  /**
   * Use this token instead of a generated one (the original's `init --with-token`); at least 16
   * characters, no whitespace.
   */
  readonly token?: string | undefined;
  /** Creation time, epoch ms. Default: now. */
  readonly now?: number | undefined;
}

export const DEFAULT_TOKEN_SCOPES: readonly Scope[] = ['read', 'submit', 'operate'];

/**
 * Add a token to the tokens file (created if missing) and return the plain token: the only time
 * it is ever shown, since the file keeps only its salted hash. Throws `token-exists` when the
 * name is taken, `invalid-token` for a bad name, scope or given token.
 *
 * @example
 * ```ts
 * const { token } = await createToken(`${root}/tokens.json`, { name: 'laptop' });
 * console.log(`Your token (shown once): ${token}`);
 * ```
 */
export async function createToken(
  path: string,
  options: CreateTokenOptions,
): Promise<{ readonly token: string; readonly info: TokenInfo }> {
  if (!TOKEN_NAME_PATTERN.test(options.name)) {
    throw new ServerError(
      'invalid-token',
      `token name "${options.name}" may contain only letters, digits and . _ @ + - (1 to 100)`,
    );
  }
  const scopes = [...new Set(options.scopes ?? DEFAULT_TOKEN_SCOPES)];
  const badScope = scopes.find((scope) => !isScope(scope));
  if (scopes.length === 0 || badScope !== undefined) {
    throw new ServerError('invalid-token', `invalid scopes: ${JSON.stringify(options.scopes)}`);
  }
  if (options.token !== undefined && !/^\S{16,}$/.test(options.token)) {
    throw new ServerError(
      'invalid-token',
      'a given token must be at least 16 non-blank characters',
    );
  }
  const file = await readTokensFile(path);
  if (file.tokens.some((token) => token.name === options.name)) {
    throw new ServerError('token-exists', `a token named "${options.name}" already exists`);
  }
  const token = options.token ?? generateToken();
  const record = {
    name: options.name,
    scopes,
    hash: hashToken(token),
    createdAt: new Date(options.now ?? Date.now()).toISOString(),
    comment: options.comment ?? '',
  };
  await writeTokensFile(path, { version: 1, tokens: [...file.tokens, record] });
  return { token, info: infoOf(record) };
}

/** The tokens of the file (a missing file has none), without their hashes. */
export async function listTokens(path: string): Promise<readonly TokenInfo[]> {
  const file = await readTokensFile(path);
  return file.tokens.map(infoOf);
}

/** Remove the token named `name`; `false` if there was none. A running server notices within 1 s. */
export async function revokeToken(path: string, name: string): Promise<boolean> {
  const file = await readTokensFile(path);
  const tokens = file.tokens.filter((token) => token.name !== name);
  if (tokens.length === file.tokens.length) return false;
  await writeTokensFile(path, { version: 1, tokens });
  return true;
}

function infoOf(record: TokenInfo): TokenInfo {
  return {
    name: record.name,
    scopes: record.scopes,
    createdAt: record.createdAt,
    comment: record.comment,
  };
}
