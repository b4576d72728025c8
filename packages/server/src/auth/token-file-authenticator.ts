import { stat } from 'node:fs/promises';
import type { Authenticator } from './authenticator.js';
import { findToken } from './memory-authenticator.js';
import { readTokensFile, type TokenRecord } from './tokens-file.js';

export interface TokenFileAuthenticatorOptions {
  /** How often the file's modification time is checked, ms. Default 1,000. */
  readonly recheckIntervalMs?: number | undefined;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/**
 * An authenticator reading the tokens file (docs/auth.md). The file is read once now (so a
 * broken file fails at start-up, with its name and field) and again whenever its modification
 * time or size changes, checked at most once per `recheckIntervalMs`: tokens created or revoked
 * by `ketrew token …` take effect without a restart. If a later read fails, the last good set
 * of tokens stays in force.
 */
export async function createTokenFileAuthenticator(
  path: string,
  options: TokenFileAuthenticatorOptions = {},
): Promise<Authenticator & { reload(): Promise<void> }> {
  const interval = options.recheckIntervalMs ?? 1_000;
  const now = options.now ?? Date.now;
  let records: readonly TokenRecord[] = (await readTokensFile(path)).tokens;
  let signature = await signatureOf(path);
  let checkedAt = now();
  let pending: Promise<void> | null = null;

  const reload = async (): Promise<void> => {
    const current = await signatureOf(path);
    if (current === signature) return;
    try {
      records = (await readTokensFile(path)).tokens;
      signature = current;
    } catch {
      // Keep the last good tokens; a half-edited file must not lock everyone out.
    }
  };

  return {
    reload,
    async authenticate(token) {
      if (now() - checkedAt >= interval) {
        checkedAt = now();
        pending ??= reload().finally(() => {
          pending = null;
        });
      }
      if (pending !== null) await pending;
      return findToken(records, token);
    },
  };
}

async function signatureOf(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `${info.mtimeMs}:${info.size}:${info.ino}`;
  } catch {
    return 'missing';
  }
}
