import { invalidArgument } from '../errors.js';
import type { ProgramSpec } from '../wire/program-schema.js';
import { trusted, trustedIf } from '../util/trusted.js';
import { formatShell } from './shell-format.js';
import type { ShellFormatArguments } from './shell-format.js';
import { shellQuote } from './shell-quote.js';

/** A program: shell commands run in sequence, stopping at the first failure. Plain data. */
export type Program = ProgramSpec;

/**
 * Programs, as in the original: each leaf command is run and logged separately by the monitored
 * script, and the sequence stops at the first failure.
 *
 * @example
 * Program.and(
 *   Program.exec(['mkdir', '-p', outputDirectory]),
 *   Program.shf('samtools sort -o %S %S', sorted, input),
 * );
 */
export const Program = {
  /** A command line given to the host's shell as is. */
  sh(command: string): Program {
    return trusted({ kind: 'sh', command });
  },

  /**
   * A command line from a printf-style format: `%s` (a string or number, as is), `%d` (an
   * integer), `%S` (a string quoted for the shell), `%%` (a literal `%`). With a literal format
   * the compiler checks the number and types of the arguments.
   *
   * @example Program.shf('gzip -%d %S', 9, '/data/my file.txt') // gzip -9 '/data/my file.txt'
   */
  shf<const Format extends string>(format: Format, ...args: ShellFormatArguments<Format>): Program {
    return trusted({ kind: 'sh', command: formatShell(format, args) });
  },

  /** A program and its arguments, each quoted for the shell when run. `argv` must not be empty. */
  exec(argv: readonly string[]): Program {
    if (argv.length === 0) invalidArgument('Program.exec', 'argv must hold at least the program');
    return trusted({ kind: 'exec', argv: [...argv] });
  },

  /** The programs in order; the first failure stops the sequence (the original's `&&`). */
  and(...programs: readonly Program[]): Program {
    return trustedIf(programs, { kind: 'and', programs: [...programs] });
  },

  /** Same as `and`, from a list (the original's `chain`). */
  chain(programs: readonly Program[]): Program {
    return trustedIf(programs, { kind: 'and', programs: [...programs] });
  },

  /**
   * The leaf commands of a program, in order, each as one shell command string: `sh` as given,
   * `exec` with every argument single-quoted (`'ls' '-l' 'my dir'`). Backends run each one
   * separately; an empty `and` gives no command.
   */
  toShell(program: Program): string[] {
    switch (program.kind) {
      case 'sh':
        return [program.command];
      case 'exec':
        return [program.argv.map(shellQuote).join(' ')];
      case 'and':
        return program.programs.flatMap((p) => Program.toShell(p));
      default: {
        const unknown: never = program;
        return unknown;
      }
    }
  },
} as const;
