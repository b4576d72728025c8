import { invalidArgument } from '../errors.js';
import { shellQuote } from './shell-quote.js';

/** What each directive of a `Program.shf` format takes. */
interface FormatDirectives {
  s: string | number;
  d: number;
  S: string;
}

/**
 * The argument types a format asks for: `ShellFormatArguments<'cp %S %S'>` is `[string, string]`.
 * An unknown directive (or a lone `%` at the end) gives `never`, so the call does not compile. A
 * format that is not a literal type accepts any strings and numbers (checked when run).
 */
export type ShellFormatArguments<Format extends string> = string extends Format
  ? readonly (string | number)[]
  : DirectivesOf<Format>;

type DirectivesOf<Format extends string> = Format extends `${string}%${infer D}${infer Rest}`
  ? D extends '%'
    ? DirectivesOf<Rest>
    : D extends keyof FormatDirectives
      ? [FormatDirectives[D], ...DirectivesOf<Rest>]
      : never
  : Format extends `${string}%`
    ? never
    : [];

/**
 * Fills a printf-style format for a shell command:
 * - `%s`: the argument as is (a string or a number), for trusted fragments;
 * - `%d`: an integer;
 * - `%S`: a string quoted for the shell (`shellQuote`), safe for any file name;
 * - `%%`: a literal `%`.
 * Throws `invalid-argument` on an unknown directive, a wrong type or a wrong argument count.
 */
export function formatShell(format: string, args: readonly unknown[]): string {
  const where = 'Program.shf';
  let next = 0;
  const take = (directive: string): unknown => {
    if (next >= args.length) {
      invalidArgument(
        where,
        `${JSON.stringify(format)} needs more than ${args.length} argument(s)`,
      );
    }
    const value = args[next++];
    const position = `argument ${next} (%${directive})`;
    switch (directive) {
      case 's':
        if (typeof value !== 'string' && typeof value !== 'number') {
          invalidArgument(where, `${position} must be a string or a number`);
        }
        return value;
      case 'd':
        if (typeof value !== 'number' || !Number.isInteger(value)) {
          invalidArgument(where, `${position} must be an integer, got ${String(value)}`);
        }
        return value;
      default:
        if (typeof value !== 'string') invalidArgument(where, `${position} must be a string`);
        return shellQuote(value);
    }
  };
  const result = format.replace(/%(.?)/gs, (_match, directive: string) => {
    if (directive === '%') return '%';
    if (directive === 's' || directive === 'd' || directive === 'S') return String(take(directive));
    return invalidArgument(
      where,
      directive === ''
        ? `${JSON.stringify(format)} ends with a lone "%" (write %% for a literal %)`
        : `unknown directive "%${directive}" in ${JSON.stringify(format)} (known: %s %d %S %%)`,
    );
  });
  if (next < args.length) {
    invalidArgument(
      where,
      `${JSON.stringify(format)} takes ${next} argument(s), got ${args.length}`,
    );
  }
  return result;
}
