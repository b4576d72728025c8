import { isAbsolute, resolve } from 'node:path';

/** A place holding Ketrew's state, as written in `server.database` or `sync --from/--to`. */
export type DatabaseLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgresql'; readonly connectionString: string }
  | { readonly kind: 'backup'; readonly path: string };

const SQLITE_EXTENSIONS = ['.db', '.sqlite', '.sqlite3'];

/**
 * Classify a database URI. `postgres://…`/`postgresql://…` → PostgreSQL; `sqlite:PATH` or
 * `sqlite://PATH` → SQLite; `backup:PATH` → a backup file. A bare path is SQLite when
 * `allowBackup` is false (the server's database); for `sync`, a bare path is SQLite when it ends
 * with .db, .sqlite or .sqlite3 and a backup otherwise. Relative paths are resolved from `base`.
 */
export function parseDatabaseUri(
  uri: string,
  options: { readonly base: string; readonly allowBackup?: boolean | undefined },
): DatabaseLocation {
  const text = uri.trim();
  if (/^postgres(ql)?:\/\//i.test(text)) return { kind: 'postgresql', connectionString: text };
  const absolute = (p: string): string => (isAbsolute(p) ? p : resolve(options.base, p));
  const sqlite = /^sqlite:(\/\/)?(.*)$/i.exec(text);
  if (sqlite) return { kind: 'sqlite', path: absolute(sqlite[2] ?? '') };
  const backup = /^backup:(\/\/)?(.*)$/i.exec(text);
  if (backup) {
    if (options.allowBackup !== true) throw new Error(`a backup (${text}) cannot be a database`);
    return { kind: 'backup', path: absolute(backup[2] ?? '') };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new Error(
      `unsupported database URI "${text}" (use a SQLite path, sqlite:PATH or postgresql://…)`,
    );
  }
  if (options.allowBackup === true && !SQLITE_EXTENSIONS.some((e) => text.endsWith(e))) {
    return { kind: 'backup', path: absolute(text) };
  }
  return { kind: 'sqlite', path: absolute(text) };
}

/** The location as one line for humans, with any password hidden. */
export function describeDatabase(location: DatabaseLocation): string {
  switch (location.kind) {
    case 'sqlite':
      return `SQLite ${location.path}`;
    case 'backup':
      return `backup ${location.path}`;
    case 'postgresql':
      return `PostgreSQL ${location.connectionString.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@')}`;
    default:
      return unreachable(location);
  }
}

function unreachable(value: never): never {
  throw new Error(`unexpected database location ${JSON.stringify(value)}`);
}
