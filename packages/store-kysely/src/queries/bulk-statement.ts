import type { CompiledQuery, Compilable, Kysely } from 'kysely';
import type { KetrewDatabase } from '../schema/ketrew-database.js';

/** The largest number of rows one statement carries. */
const MAX_ROWS_PER_STATEMENT = 512;

/** Bound parameters one statement may carry: SQLite's limit (PostgreSQL allows 65,535). */
const MAX_PARAMETERS = 32_766;

interface Template {
  readonly query: CompiledQuery;
  /** For each bound parameter, the row and column it takes its value from. */
  readonly slots: readonly (readonly [row: number, column: string])[];
}

/**
 * A multi-row statement (an insert, an upsert) written once with kysely and run with many rows.
 *
 * Building and compiling a kysely query costs ~10 µs per row, more than SQLite takes to insert
 * it, so the statement is compiled once per size with placeholder values, then re-bound. Rows go
 * in chunks whose sizes are powers of two (512, 256, …, 1): a batch of any size uses at most
 * log2(512)+1 distinct statements, which drivers cache, and no statement exceeds the dialects'
 * parameter limits.
 */
export class BulkStatement<Row extends object> {
  readonly #columns: readonly (keyof Row & string)[];
  readonly #build: (db: Kysely<KetrewDatabase>, rows: Row[]) => Compilable<unknown>;
  readonly #templates = new Map<number, Template>();
  readonly #maxRows: number;

  /**
   * @param columns every column the rows carry (the statement binds exactly these)
   * @param build makes the statement for some rows; called with placeholder rows only
   */
  constructor(
    columns: readonly (keyof Row & string)[],
    build: (db: Kysely<KetrewDatabase>, rows: Row[]) => Compilable<unknown>,
  ) {
    this.#columns = columns;
    this.#build = build;
    let max = 1;
    while (max * 2 <= MAX_ROWS_PER_STATEMENT && max * 2 * columns.length <= MAX_PARAMETERS) {
      max *= 2;
    }
    this.#maxRows = max;
  }

  /** Runs the statement over all rows, in order, on `db` (usually a transaction). */
  async run(db: Kysely<KetrewDatabase>, rows: readonly Row[]): Promise<void> {
    let offset = 0;
    while (offset < rows.length) {
      let size = this.#maxRows;
      while (size > rows.length - offset) size /= 2;
      const chunk = rows.slice(offset, offset + size);
      const template = this.#template(db, size);
      const parameters = template.slots.map(([row, column]) => {
        const value = (chunk[row] as Record<string, unknown>)[column];
        return value === undefined ? null : value;
      });
      await db.executeQuery({ ...template.query, parameters });
      offset += size;
    }
  }

  #template(db: Kysely<KetrewDatabase>, size: number): Template {
    const cached = this.#templates.get(size);
    if (cached !== undefined) return cached;
    const placeholders = Array.from(
      { length: size },
      (_, row) =>
        Object.fromEntries(this.#columns.map((column) => [column, sentinel(row, column)])) as Row,
    );
    const query = this.#build(db, placeholders).compile();
    const slots = query.parameters.map((parameter) => {
      const match = typeof parameter === 'string' ? SENTINEL.exec(parameter) : null;
      if (match === null) {
        throw new Error(`BulkStatement: unexpected parameter ${String(parameter)} in ${query.sql}`);
      }
      return [Number(match[1]), match[2] as string] as const;
    });
    const template = { query, slots };
    this.#templates.set(size, template);
    return template;
  }
}

const SENTINEL = /^\u0000bulk:(\d+):(.+)$/;

function sentinel(row: number, column: string): string {
  return `\u0000bulk:${row}:${column}`;
}
