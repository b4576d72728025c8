import { describe, expect, it } from 'vitest';
import { describeDatabase, parseDatabaseUri } from './database-uri.js';

describe('parseDatabaseUri', () => {
  const base = '/work';

  it('recognises PostgreSQL, SQLite and backups', () => {
    expect(parseDatabaseUri('postgresql://u:p@h:5432/db', { base })).toEqual({
      kind: 'postgresql',
      connectionString: 'postgresql://u:p@h:5432/db',
    });
    expect(parseDatabaseUri('postgres://h/db', { base }).kind).toBe('postgresql');
    expect(parseDatabaseUri('sqlite:///abs/k.db', { base })).toEqual({
      kind: 'sqlite',
      path: '/abs/k.db',
    });
    expect(parseDatabaseUri('sqlite:rel.db', { base })).toEqual({
      kind: 'sqlite',
      path: '/work/rel.db',
    });
    expect(parseDatabaseUri('state', { base })).toEqual({ kind: 'sqlite', path: '/work/state' });
  });

  it('reads a bare path as a backup for sync unless it looks like SQLite', () => {
    const sync = { base, allowBackup: true };
    expect(parseDatabaseUri('/b/backup.jsonl', sync)).toEqual({
      kind: 'backup',
      path: '/b/backup.jsonl',
    });
    expect(parseDatabaseUri('dir/', sync)).toEqual({ kind: 'backup', path: '/work/dir' });
    expect(parseDatabaseUri('k.sqlite3', sync)).toEqual({
      kind: 'sqlite',
      path: '/work/k.sqlite3',
    });
    expect(parseDatabaseUri('backup:x.db', sync)).toEqual({ kind: 'backup', path: '/work/x.db' });
  });

  it('refuses other schemes, and backups where a database is needed', () => {
    expect(() => parseDatabaseUri('mysql://h/db', { base })).toThrow(/unsupported database URI/);
    expect(() => parseDatabaseUri('backup:/x', { base })).toThrow(/cannot be a database/);
  });

  it('hides passwords when describing', () => {
    expect(describeDatabase(parseDatabaseUri('postgresql://k:hunter2@h/db', { base }))).toBe(
      'PostgreSQL postgresql://k:***@h/db',
    );
  });
});
