import { statSync } from 'node:fs';
import type { Store } from '@ketrew/engine';
import type { CommandRegistration } from '../command-registry.js';
import {
  describeDatabase,
  parseDatabaseUri,
  type DatabaseLocation,
} from '../configuration/database-uri.js';
import { CliError } from '../errors.js';

/** A sync end: a database, or a backup file (JSONL) or directory. */
export type SyncEnd =
  | Exclude<DatabaseLocation, { kind: 'backup' }>
  | { readonly kind: 'backup-file'; readonly path: string }
  | { readonly kind: 'backup-directory'; readonly path: string };

/**
 * Where `sync --from/--to` reads or writes: `postgresql://…`; `sqlite:PATH` or a path ending in
 * .db/.sqlite/.sqlite3; otherwise a backup, a directory when the path ends with `/` or is an
 * existing directory, else a JSONL file.
 */
export function parseSyncEnd(uri: string, cwd: string): SyncEnd {
  const location = parseDatabaseUri(uri, { base: cwd, allowBackup: true });
  if (location.kind !== 'backup') return location;
  if (uri.endsWith('/') || isDirectory(location.path))
    return { kind: 'backup-directory', path: location.path };
  return { kind: 'backup-file', path: location.path };
}

/** `ketrew sync --from URI --to URI`: copy between databases and backups (idempotent). */
export const syncCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'sync',
    'Copy everything between databases and backups (SQLite, PostgreSQL, backup file or directory)',
    (y) =>
      y
        .option('from', {
          type: 'string',
          demandOption: true,
          describe: 'Source: SQLite path, postgresql://…, backup file or directory',
        })
        .option('to', { type: 'string', demandOption: true, describe: 'Destination, same forms' })
        .example(
          '$0 sync --from ~/.ketrew/ketrew.db --to backup.jsonl',
          'Back up a SQLite database',
        )
        .example(
          '$0 sync --from backup.jsonl --to postgresql://k@db/ketrew',
          'Restore into PostgreSQL',
        ),
    (args) =>
      select(async (ctx) => {
        let from: SyncEnd;
        let to: SyncEnd;
        try {
          from = parseSyncEnd(args.from, ctx.io.cwd);
          to = parseSyncEnd(args.to, ctx.io.cwd);
        } catch (error) {
          throw new CliError('usage', (error as Error).message);
        }
        if (describeEnd(from) === describeEnd(to))
          throw new CliError('usage', '--from and --to are the same place');
        ctx.progress.update(`copying ${describeEnd(from)} → ${describeEnd(to)}…`);
        const result = await copy(from, to);
        ctx.progress.clear();
        if (ctx.json) {
          ctx.printJson({ from: describeEnd(from), to: describeEnd(to), ...result });
          return;
        }
        const skipped = result.skipped > 0 ? ` (${result.skipped} already there)` : '';
        ctx.print(
          `Copied ${result.imported} records from ${describeEnd(from)} to ${describeEnd(to)}${skipped}.`,
        );
      }),
  );

async function copy(from: SyncEnd, to: SyncEnd): Promise<{ imported: number; skipped: number }> {
  const engine = await import('@ketrew/engine');
  const opened: Store[] = [];
  const open = async (end: Exclude<SyncEnd, { kind: 'backup-file' | 'backup-directory' }>) => {
    const { openStore } = await import('../server/open-store.js');
    const store = await openStore(end);
    opened.push(store);
    return store;
  };
  try {
    // Read the source into a store (a backup into memory), then write it out.
    let source: Store;
    if (from.kind === 'backup-file' || from.kind === 'backup-directory') {
      source = new engine.MemoryStore();
      await source.migrate();
      await guardBackup(from, () =>
        from.kind === 'backup-file'
          ? engine.restoreFromFile(from.path, source)
          : engine.restoreFromDirectory(from.path, source),
      );
    } else {
      source = await open(from);
    }
    switch (to.kind) {
      case 'backup-file':
        return { imported: (await engine.backupToFile(source, to.path)).records, skipped: 0 };
      case 'backup-directory':
        return { imported: (await engine.backupToDirectory(source, to.path)).records, skipped: 0 };
      default: {
        const { imported, skipped } = await engine.copyStore(source, await open(to));
        return { imported, skipped };
      }
    }
  } finally {
    for (const store of opened) await store.close().catch(() => undefined);
  }
}

async function guardBackup<T>(end: SyncEnd, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError('usage', `${describeEnd(end)} does not exist`);
    throw new CliError('failure', (error as Error).message, { cause: error });
  }
}

function describeEnd(end: SyncEnd): string {
  switch (end.kind) {
    case 'backup-file':
      return `backup file ${end.path}`;
    case 'backup-directory':
      return `backup directory ${end.path}`;
    default:
      return describeDatabase(end);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
