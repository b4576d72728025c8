/**
 * Exit codes of `ketrew`, stable for scripts (docs/cli.md lists them).
 *
 * - `ok` 0: the command did what it was asked.
 * - `failure` 1: the operation failed (the server refused it, a waited-for workflow failed, …).
 * - `usage` 2: bad arguments or flags.
 * - `unreachable` 3: the server could not be reached (connection refused, DNS, TLS, timeout).
 * - `authentication` 4: the server refused the token (missing, unknown, or lacking the scope).
 * - `notFound` 5: a node, workflow or query that does not exist.
 * - `configuration` 6: the configuration file is missing, unreadable or invalid.
 * - `invalidWorkflow` 7: the workflow file or spec was rejected; nothing was submitted.
 * - `interrupted` 130: stopped by Ctrl-C.
 */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  authentication: 4,
  notFound: 5,
  configuration: 6,
  invalidWorkflow: 7,
  interrupted: 130,
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;

/**
 * An error the CLI reports as one line and turns into an exit code. `hint`, when present, is a
 * second line telling the user what to do next.
 */
export class CliError extends Error {
  readonly kind: ExitCodeName;
  readonly hint: string | undefined;
  /** The server's error code (`no-run`, `forbidden`, …) when the server refused. */
  readonly serverCode: string | undefined;

  constructor(
    kind: ExitCodeName,
    message: string,
    options: {
      readonly cause?: unknown;
      readonly hint?: string | undefined;
      readonly serverCode?: string | undefined;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.kind = kind;
    this.hint = options.hint;
    this.serverCode = options.serverCode;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}
