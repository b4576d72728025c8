import { appendFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HistoryEntry } from '../core/engine-node.js';
import type { ExportRecord, Store } from '../ports/store.js';
import { BackupFormatError } from './backup-format-error.js';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  checkBackupHeader,
  parseJsonLine,
  toExportRecord,
} from './backup-records.js';

const HEADER_FILE = 'ketrew-backup.json';

/**
 * Write everything a store holds to a directory, one file per workflow and per node, like the
 * original Ketrew's "database → directory" sync: `workflows/<id>.json` (a workflow record),
 * `nodes/<id>.json` (a node), `history/<id>.jsonl` (its history entries, one per line), and
 * `ketrew-backup.json` (the header, written last: a directory without it is incomplete).
 * File names are the ids, percent-encoded. Running it again over the same directory rewrites
 * those files (files of ids no longer exported are left alone).
 *
 * @example await backupToDirectory(store, '/backups/ketrew.d') // { records: 12345 }
 */
export async function backupToDirectory(
  store: Store,
  directory: string,
): Promise<{ readonly records: number }> {
  for (const sub of ['workflows', 'nodes', 'history']) {
    await mkdir(join(directory, sub), { recursive: true });
  }
  let records = 0;
  const history = new HistoryFiles(join(directory, 'history'));
  for await (const record of store.exportAll()) {
    records += 1;
    switch (record.type) {
      case 'workflow':
        await writeJson(
          join(directory, 'workflows', fileName(record.workflow.id, '.json')),
          record.workflow,
        );
        break;
      case 'node':
        await writeJson(join(directory, 'nodes', fileName(record.node.id, '.json')), record.node);
        break;
      case 'history':
        await history.add(record.entry);
        break;
      default:
        throw new Error(`unknown export record ${JSON.stringify(record satisfies never)}`);
    }
  }
  await history.flush();
  const header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: Date.now() };
  await writeJson(join(directory, HEADER_FILE), header);
  return { records };
}

/**
 * Import a directory written by `backupToDirectory` into a store. Every file is checked first,
 * so a malformed one throws a `BackupFormatError` naming it (and the line, for history) and
 * writes nothing. Idempotent, like `restoreFromFile`.
 *
 * @example await restoreFromDirectory('/backups/ketrew.d', store) // { imported: 12345, skipped: 0 }
 */
export async function restoreFromDirectory(
  directory: string,
  store: Store,
): Promise<{ readonly imported: number; readonly skipped: number }> {
  const headerPath = join(directory, HEADER_FILE);
  let headerText: string;
  try {
    headerText = await readFile(headerPath, 'utf8');
  } catch (error) {
    throw new BackupFormatError(headerPath, null, `no backup header (${(error as Error).message})`);
  }
  checkBackupHeader(parseJsonLine(headerText, headerPath, 1), headerPath, 1);
  for await (const _record of readBackupDirectory(directory)) {
    // First pass: reading is checking.
  }
  return store.importAll(readBackupDirectory(directory));
}

async function* readBackupDirectory(directory: string): AsyncGenerator<ExportRecord> {
  for (const path of await filesIn(join(directory, 'workflows'), '.json')) {
    const workflow = parseJsonLine(await readFile(path, 'utf8'), path, 1);
    yield toExportRecord({ type: 'workflow', workflow }, path, null);
  }
  for (const path of await filesIn(join(directory, 'nodes'), '.json')) {
    const node = parseJsonLine(await readFile(path, 'utf8'), path, 1);
    yield toExportRecord({ type: 'node', node }, path, null);
  }
  for (const path of await filesIn(join(directory, 'history'), '.jsonl')) {
    const lines = (await readFile(path, 'utf8')).split('\n');
    for (const [index, text] of lines.entries()) {
      if (text.trim() === '') continue;
      const entry = parseJsonLine(text, path, index + 1);
      yield toExportRecord({ type: 'history', entry }, path, index + 1);
    }
  }
}

async function filesIn(directory: string, extension: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(extension))
    .sort()
    .map((name) => join(directory, name));
}

/**
 * History entries, appended to one file per node. Entries usually come grouped by node, so
 * only the current node's entries are held in memory; the first write of a run truncates.
 */
class HistoryFiles {
  readonly #directory: string;
  readonly #written = new Set<string>();
  #nodeId: string | null = null;
  #lines: string[] = [];

  constructor(directory: string) {
    this.#directory = directory;
  }

  async add(entry: HistoryEntry): Promise<void> {
    if (entry.nodeId !== this.#nodeId) await this.flush();
    this.#nodeId = entry.nodeId;
    this.#lines.push(`${JSON.stringify(entry)}\n`);
  }

  async flush(): Promise<void> {
    if (this.#nodeId === null) return;
    const path = join(this.#directory, fileName(this.#nodeId, '.jsonl'));
    const text = this.#lines.join('');
    if (this.#written.has(this.#nodeId)) await appendFile(path, text);
    else await writeFile(path, text);
    this.#written.add(this.#nodeId);
    this.#nodeId = null;
    this.#lines = [];
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(value)}\n`);
}

/** A file name for an id: percent-encoded, and never `.` or `..` or hidden. */
function fileName(id: string, extension: string): string {
  return encodeURIComponent(id).replace(/^\./, '%2E') + extension;
}
