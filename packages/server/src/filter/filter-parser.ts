import { FilterError, type SExpression } from './filter-syntax.js';

/**
 * Parse one s-expression of the filter language: `(head arg …)` where an argument is a list,
 * a double-quoted string (escapes `\"`, `\\`, `\n`, `\t`) or a number. Heads are lowercase words
 * with dashes. Throws `FilterError` with the offset of the first problem.
 *
 * @example
 * ```ts
 * parseFilter('(and (is-failed) (tags "nightly"))');
 * ```
 */
export function parseFilter(text: string): SExpression {
  const parser = new FilterParser(text);
  const expression = parser.expression();
  parser.end();
  return expression;
}

class FilterParser {
  readonly #text: string;
  #offset = 0;

  constructor(text: string) {
    this.#text = text;
  }

  expression(): SExpression {
    this.#skipBlanks();
    const position = this.#offset;
    const char = this.#text[position];
    if (char === undefined) throw new FilterError('unexpected end of filter', position);
    if (char === '(') return this.#list();
    if (char === '"') return this.#string();
    if (/[-0-9.]/.test(char)) return this.#number();
    if (char === ')') throw new FilterError('unexpected ")"', position);
    throw new FilterError(`unexpected character ${JSON.stringify(char)}`, position);
  }

  end(): void {
    this.#skipBlanks();
    if (this.#offset < this.#text.length) {
      throw new FilterError('unexpected text after the filter', this.#offset);
    }
  }

  #list(): SExpression {
    const position = this.#offset;
    this.#offset += 1;
    this.#skipBlanks();
    const headStart = this.#offset;
    const head = /^[a-z][a-z0-9-]*/.exec(this.#text.slice(headStart))?.[0];
    if (head === undefined) {
      const found = this.#text[headStart];
      throw new FilterError(
        found === undefined
          ? 'unexpected end of filter, expected a name after "("'
          : `expected a name after "(", found ${JSON.stringify(found)}`,
        headStart,
      );
    }
    this.#offset += head.length;
    const args: SExpression[] = [];
    for (;;) {
      this.#skipBlanks();
      const char = this.#text[this.#offset];
      if (char === undefined) {
        throw new FilterError(`unclosed "(" opened at position ${position}`, this.#offset);
      }
      if (char === ')') {
        this.#offset += 1;
        return { kind: 'list', head, args, position };
      }
      args.push(this.expression());
    }
  }

  #string(): SExpression {
    const position = this.#offset;
    let value = '';
    this.#offset += 1;
    for (;;) {
      const char = this.#text[this.#offset];
      if (char === undefined) {
        throw new FilterError(`unterminated string opened at position ${position}`, this.#offset);
      }
      this.#offset += 1;
      if (char === '"') return { kind: 'string', value, position };
      if (char !== '\\') {
        value += char;
        continue;
      }
      const escaped = this.#text[this.#offset];
      const meaning = escaped === undefined ? undefined : ESCAPES[escaped];
      if (meaning === undefined) {
        throw new FilterError(
          `unknown escape "\\${escaped ?? ''}" (use \\" \\\\ \\n or \\t)`,
          this.#offset - 1,
        );
      }
      value += meaning;
      this.#offset += 1;
    }
  }

  #number(): SExpression {
    const position = this.#offset;
    const token = /^[^\s()"]+/.exec(this.#text.slice(position))?.[0] ?? '';
    if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(token)) {
      throw new FilterError(`invalid number ${JSON.stringify(token)}`, position);
    }
    this.#offset += token.length;
    return { kind: 'number', value: Number(token), position };
  }

  #skipBlanks(): void {
    while (/\s/.test(this.#text[this.#offset] ?? '')) this.#offset += 1;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', n: '\n', t: '\t' };
