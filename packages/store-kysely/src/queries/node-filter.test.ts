import {
  Kysely,
  DummyDriver,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { escapeLike, nodeFilterCondition } from './node-filter.js';

function compiler(dialect: SqlDialect) {
  return new Kysely<KetrewDatabase>({
    dialect: {
      createAdapter: () => (dialect === 'sqlite' ? new SqliteAdapter() : new PostgresAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) =>
        dialect === 'sqlite' ? new SqliteIntrospector(db) : new PostgresIntrospector(db),
      createQueryCompiler: () =>
        dialect === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler(),
    },
  });
}

describe('node filters', () => {
  it('escapes LIKE wildcards', () => {
    expect(escapeLike('100%_sure\\')).toBe('100\\%\\_sure\\\\');
  });

  it('matches a name lower-cased by JavaScript, so non-ASCII case is ignored too', () => {
    const query = compiler('sqlite')
      .selectFrom('nodes')
      .select('id')
      .where((eb) => nodeFilterCondition(eb, { nameContains: 'ÉTAPE_1' }, 'sqlite'))
      .compile();
    expect(query.parameters).toEqual(['%étape\\_1%']);
  });

  it('sends a long id list as one parameter', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `n${i}`);
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const query = compiler(dialect)
        .selectFrom('nodes')
        .select('id')
        .where((eb) => nodeFilterCondition(eb, { ids }, dialect))
        .compile();
      expect(query.parameters).toHaveLength(1);
    }
  });

  it('matches nothing for an empty list and everything for no filter', () => {
    const sqlOf = (filter: object) =>
      compiler('sqlite')
        .selectFrom('nodes')
        .select('id')
        .where((eb) => nodeFilterCondition(eb, filter, 'sqlite'))
        .compile().sql;
    expect(sqlOf({ status: [] })).toMatch(/1 = 0/);
    expect(sqlOf({ tags: [] })).not.toMatch(/node_tags/);
  });
});
