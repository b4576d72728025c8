import { CompiledQuery } from 'kysely';
import type { Kysely } from 'kysely';
import type { KetrewDatabase } from '../schema/ketrew-database.js';

/** Column types of an `UnnestStatement` (JSON columns are `text` in PostgreSQL, migration 004). */
export type UnnestType = 'text' | 'bigint' | 'integer';

/** Rows per statement. */
const ROWS_PER_STATEMENT = 25_000;

/** Stands for null in a joined text column; a column holding this value is sent as an array. */
const NULL_MARK = '\u0001';

/**
 * A PostgreSQL multi-row insert sending each column as one parameter and unpacking them with
 * `unnest`: one statement of a few parameters, whatever the number of rows. Placeholders per
 * value would make PostgreSQL parse and plan a statement of thousands of parameters at each
 * execution (`pg` does not prepare unnamed statements).
 *
 * A text column goes as its values joined by newlines, split by `string_to_array`: a `text[]`
 * parameter would quote every value and escape every double quote in it — all of a JSON
 * spec's — which cost more than the insert itself (measured: 20,000 specs of ~800 bytes,
 * 0.6–1 s of client CPU and 2–3× the server time). JSON text never holds a raw newline; a
 * column where some value does (a name, say) falls back to a `text[]` parameter.
 */
export class UnnestStatement<Row extends object> {
  readonly #columns: readonly (readonly [keyof Row & string, UnnestType])[];
  readonly #head: string;
  readonly #tail: string;

  /**
   * @param table the table to insert into
   * @param columns every column the rows carry, with its type
   * @param onConflict `ignore`: rows whose key is already stored are skipped
   */
  constructor(
    table: string,
    columns: readonly (readonly [keyof Row & string, UnnestType])[],
    onConflict: 'fail' | 'ignore' = 'fail',
  ) {
    this.#columns = columns;
    this.#head = `insert into "${table}" (${columns.map(([name]) => `"${name}"`).join(', ')}) select * from unnest(`;
    this.#tail = `)${onConflict === 'ignore' ? ' on conflict do nothing' : ''}`;
  }

  /** Inserts all rows, in order, on `db` (usually a transaction). */
  async run(db: Kysely<KetrewDatabase>, rows: readonly Row[]): Promise<void> {
    for (let offset = 0; offset < rows.length; offset += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(offset, offset + ROWS_PER_STATEMENT);
      const parameters: unknown[] = [];
      const expressions = this.#columns.map(([name, type]) => {
        const values = chunk.map((row) => (row as Record<string, unknown>)[name]);
        const [expression, parameter] = columnParameter(values, type, parameters.length + 1);
        parameters.push(parameter);
        return expression;
      });
      await db.executeQuery(
        CompiledQuery.raw(`${this.#head}${expressions.join(', ')}${this.#tail}`, parameters),
      );
    }
  }
}

function columnParameter(
  values: readonly unknown[],
  type: UnnestType,
  index: number,
): [expression: string, parameter: unknown] {
  if (type !== 'text') {
    const joined = values.map((v) => (v === null || v === undefined ? '' : String(v))).join(',');
    if (joined !== '') return [`string_to_array($${index}, ',', '')::${type}[]`, joined];
    return [`$${index}::${type}[]`, values.map((v) => v ?? null)];
  }
  const texts = values.map((v) => (v === null || v === undefined ? null : String(v)));
  const joinable = texts.every((t) => t === null || (!t.includes('\n') && t !== NULL_MARK));
  const joined = texts.map((t) => t ?? NULL_MARK).join('\n');
  if (joinable && joined !== '') {
    return [`string_to_array($${index}, E'\\n', E'\\u0001')`, joined];
  }
  return [`$${index}::text[]`, texts];
}
