import { StoreError } from '../errors.js';

/**
 * A backup file or directory that cannot be read: missing or wrong header, a line that is not
 * JSON or not an export record. The message names the file and, for a line, its 1-based number.
 * Restores check everything before importing, so nothing was written when this is thrown.
 */
export class BackupFormatError extends StoreError {
  readonly path: string;
  /** 1-based line number, `null` when the problem is the whole file. */
  readonly line: number | null;

  constructor(path: string, line: number | null, problem: string) {
    super(`${line === null ? path : `${path}:${line}`}: ${problem}`, {
      retryable: false,
      details: { path, line },
    });
    this.path = path;
    this.line = line;
  }
}
