import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ExportRecord, Store } from '../ports/store.js';
import { BackupFormatError } from './backup-format-error.js';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  checkBackupHeader,
  parseJsonLine,
  toExportRecord,
  type BackupHeader,
} from './backup-records.js';
import { ChunkedWriter } from './chunked-writer.js';

/**
 * Write everything a store holds to a JSONL backup file: a header line
 * `{"format":"ketrew-backup","version":1,"createdAt":…}`, then one `ExportRecord` per line
 * (workflows, then nodes, then history), as `exportAll` yields them.
 *
 * The file is written beside `path` and renamed over it once complete and flushed to disk, so
 * `path` always holds either the previous backup or the new one, never half of one.
 *
 * @example await backupToFile(store, '/backups/ketrew.jsonl') // { records: 12345 }
 */
export async function backupToFile(
  store: Store,
  path: string,
): Promise<{ readonly records: number }> {
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w');
  let records = 0;
  try {
    const writer = new ChunkedWriter(handle);
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: Date.now(),
    };
    await writer.write(`${JSON.stringify(header)}\n`);
    for await (const record of store.exportAll()) {
      await writer.write(`${JSON.stringify(record)}\n`);
      records += 1;
    }
    await writer.flush();
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(partial, { force: true });
    throw error;
  }
  await handle.close();
  await rename(partial, path);
  return { records };
}

/**
 * Import a backup written by `backupToFile` into a store. The whole file is checked first
 * (header, then every line is JSON with the shape of an export record), so a malformed backup
 * throws a `BackupFormatError` naming the line and writes nothing; then it is streamed into
 * `store.importAll`. Idempotent: what the store already holds is skipped, so restoring twice
 * duplicates nothing. Empty lines are ignored.
 *
 * @example await restoreFromFile('/backups/ketrew.jsonl', store) // { imported: 12345, skipped: 0 }
 */
export async function restoreFromFile(
  path: string,
  store: Store,
): Promise<{ readonly imported: number; readonly skipped: number }> {
  // First pass: check everything, keep nothing.
  for await (const _record of readBackupFile(path)) {
    // Reading is checking.
  }
  return store.importAll(readBackupFile(path));
}

/** The records of a backup file, checked line by line. */
export async function* readBackupFile(path: string): AsyncGenerator<ExportRecord> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
  let lineNumber = 0;
  let headerSeen = false;
  try {
    for await (const text of lines) {
      lineNumber += 1;
      if (text.trim() === '') continue;
      const value = parseJsonLine(text, path, lineNumber);
      if (!headerSeen) {
        checkBackupHeader(value, path, lineNumber);
        headerSeen = true;
      } else {
        yield toExportRecord(value, path, lineNumber);
      }
    }
  } finally {
    lines.close();
  }
  if (!headerSeen) throw new BackupFormatError(path, null, 'empty file: no backup header');
}
