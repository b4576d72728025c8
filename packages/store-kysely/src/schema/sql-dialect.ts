import { sql } from 'kysely';
import type { ColumnDataType, Expression } from 'kysely';

/** The SQL databases Ketrew's schema is written for. */
export type SqlDialect = 'sqlite' | 'postgres';

type DataType = ColumnDataType | Expression<unknown>;

/** The column types whose spelling differs between the dialects. */
export interface DialectTypes {
  /** Identifiers: byte-wise ordering in both (PostgreSQL: `COLLATE "C"`), so keyset pages agree. */
  readonly key: DataType;
  /** JSON text. */
  readonly json: DataType;
  /** A 64-bit auto-incrementing primary key. */
  readonly serial: DataType;
}

export function dialectTypes(dialect: SqlDialect): DialectTypes {
  switch (dialect) {
    case 'sqlite':
      return { key: 'text', json: 'text', serial: 'integer' };
    case 'postgres':
      return { key: sql`text collate "C"`, json: 'json', serial: 'bigserial' };
    default:
      return unreachable(dialect);
  }
}

export function unreachable(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}
