import type { ProgramSpec } from '@ketrew/edsl';

/**
 * The POSIX shell text of a program: `sh` as written, `exec` with every argument single-quoted,
 * `and` joined with `&&` (an empty `and` is `true`).
 */
export function programToShell(program: ProgramSpec): string {
  switch (program.kind) {
    case 'sh':
      return program.command;
    case 'exec':
      return program.argv.map(quoteShellArgument).join(' ');
    case 'and':
      return program.programs.length === 0
        ? 'true'
        : program.programs.map((p) => `( ${programToShell(p)} )`).join(' && ');
    default:
      return unreachable(program);
  }
}

/** Single-quote one argument for a POSIX shell. */
export function quoteShellArgument(argument: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(argument)
    ? argument
    : `'${argument.replaceAll("'", `'\\''`)}'`;
}

function unreachable(value: never): never {
  throw new Error(`unknown program ${JSON.stringify(value)}`);
}
