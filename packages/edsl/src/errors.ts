import type { ValidationIssue } from './wire/validation-issue.js';

/** Stable error codes of the EDSL; callers may switch on them. */
export const EDSL_ERROR_CODES = {
  invalidArgument: 'invalid-argument',
  invalidHostUri: 'invalid-host-uri',
  invalidWorkflow: 'invalid-workflow',
  submitUnreachable: 'submit-unreachable',
  submitUnauthorized: 'submit-unauthorized',
  submitForbidden: 'submit-forbidden',
  submitRejected: 'submit-rejected',
  submitServerError: 'submit-server-error',
  submitBadResponse: 'submit-bad-response',
} as const;

export type EdslErrorCode = (typeof EDSL_ERROR_CODES)[keyof typeof EDSL_ERROR_CODES];

/** Base class of every error the EDSL throws on purpose. */
export class EdslError extends Error {
  readonly code: EdslErrorCode;

  constructor(code: EdslErrorCode, message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}

/** A host URI that cannot be parsed; the message says what is wrong with it. */
export class HostUriError extends EdslError {
  readonly uri: string;

  constructor(uri: string, problem: string) {
    super(EDSL_ERROR_CODES.invalidHostUri, `Invalid host URI ${JSON.stringify(uri)}: ${problem}`);
    this.uri = uri;
  }
}

/** A workflow (or a part of one) that breaks the wire format; `errors` name each field. */
export class WorkflowValidationError extends EdslError {
  readonly errors: readonly ValidationIssue[];

  constructor(summary: string, errors: readonly ValidationIssue[]) {
    super(
      EDSL_ERROR_CODES.invalidWorkflow,
      [summary, ...errors.map((e) => `  ${e.pointer || '(document)'}: ${e.message}`)].join('\n'),
    );
    this.errors = errors;
  }
}

/** The body of a server's error response: `{error: {code, message, details}}`. */
export interface ServerErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

/** A submission the server did not accept, or could not be reached for. */
export class SubmitError extends EdslError {
  /** The endpoint the request went to. */
  readonly url: string;
  /** HTTP status, `null` when no response arrived. */
  readonly status: number | null;
  /** The server's `{error}` body, when it sent one. */
  readonly serverError: ServerErrorBody | null;

  constructor(
    code: EdslErrorCode,
    message: string,
    options: {
      readonly url: string;
      readonly status?: number | null;
      readonly serverError?: ServerErrorBody | null;
      readonly cause?: unknown;
    },
  ) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.url = options.url;
    this.status = options.status ?? null;
    this.serverError = options.serverError ?? null;
  }
}

/** Throws `invalid-argument` with a message naming the function and the argument. */
export function invalidArgument(where: string, problem: string): never {
  throw new EdslError(EDSL_ERROR_CODES.invalidArgument, `${where}: ${problem}`);
}
