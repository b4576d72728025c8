import { StoreError } from '@ketrew/engine';
import { CommitFailedError } from '@ketrew/store-kysely';

/** What an SQLite result code means for the user, when the driver's text is not enough. */
const HINTS: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'the file is not an SQLite database (wrong path, or a corrupt file)',
  SQLITE_CORRUPT: 'the database file is corrupt; restore it from a backup or an export',
  SQLITE_READONLY: 'the database file or its directory is not writable',
  SQLITE_CANTOPEN: 'the file cannot be opened; check that its directory exists and is writable',
  SQLITE_FULL: 'the disk is full',
  SQLITE_BUSY: 'another process holds the database lock for longer than the busy timeout',
  SQLITE_LOCKED: 'the database is locked',
  SQLITE_IOERR: 'an I/O error occurred reading or writing the database file',
};

/**
 * Turns anything a call of the SQLite store threw into a `StoreError` naming the database file.
 * Busy and locked databases are `retryable`; nothing else is. A `StoreError` passes through.
 */
export function sqliteStoreError(error: unknown, operation: string, label: string): StoreError {
  if (error instanceof StoreError) return error;
  const cause = error instanceof CommitFailedError ? error.cause : error;
  const code = sqliteCode(cause);
  // Extended codes (SQLITE_IOERR_SHORT_READ) share the hint of their primary code.
  const hint = code === undefined ? undefined : HINTS[/^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code];
  const message = cause instanceof Error ? cause.message : String(cause);
  return new StoreError(
    `${label}: ${operation} failed: ${message}${hint === undefined ? '' : ` (${hint})`}`,
    {
      retryable: code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(code),
      cause,
      details: { operation, ...(code === undefined ? {} : { sqliteCode: code }) },
    },
  );
}

function sqliteCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
