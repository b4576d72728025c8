import { Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import { BulkStatement } from './bulk-statement.js';

/** A kysely instance that records the statements it is asked to run. */
function recordingDatabase() {
  const executed: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery) => {
      executed.push(query);
      return Promise.resolve({ rows: [] } as QueryResult<R>);
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const db = new Kysely<KetrewDatabase>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new SqliteIntrospector(k),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  });
  return { db, executed };
}

interface Row {
  node_id: string;
  tag: string;
}

describe('BulkStatement', () => {
  const statement = () =>
    new BulkStatement<Row>(['node_id', 'tag'], (db, rows) =>
      db.insertInto('node_tags').values(rows),
    );

  it('runs rows in chunks whose sizes are powers of two, binding every value in order', async () => {
    const { db, executed } = recordingDatabase();
    const rows = Array.from({ length: 1000 }, (_, i) => ({ node_id: `n${i}`, tag: `t${i}` }));
    await statement().run(db, rows);
    expect(executed.map((q) => q.parameters.length / 2)).toEqual([512, 256, 128, 64, 32, 8]);
    expect(executed.flatMap((q) => q.parameters)).toEqual(rows.flatMap((r) => [r.node_id, r.tag]));
  });

  it('compiles each size once and reuses it', async () => {
    const { db, executed } = recordingDatabase();
    const bulk = statement();
    await bulk.run(db, [{ node_id: 'a', tag: 'x' }]);
    await bulk.run(db, [{ node_id: 'b', tag: 'y' }]);
    const [first, second] = executed;
    expect(second?.sql).toBe(first?.sql);
    expect(second?.parameters).toEqual(['b', 'y']);
  });

  it('binds null for a missing value and runs nothing for no rows', async () => {
    const { db, executed } = recordingDatabase();
    await statement().run(db, []);
    expect(executed).toEqual([]);
    await statement().run(db, [{ node_id: 'a' } as Row]);
    expect(executed[0]?.parameters).toEqual(['a', null]);
  });

  it('keeps statements under the dialects’ parameter limits', async () => {
    const { db, executed } = recordingDatabase();
    const columns = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const wide = new BulkStatement<Record<string, string>>(columns, (k, rows) =>
      k.insertInto('node_tags').values(rows as unknown as Row[]),
    );
    await wide.run(
      db,
      Array.from({ length: 700 }, () => Object.fromEntries(columns.map((c) => [c, c]))),
    );
    for (const query of executed) expect(query.parameters.length).toBeLessThanOrEqual(32_766);
    expect(executed.reduce((n, q) => n + q.parameters.length, 0)).toBe(70_000);
  });
});
