import { KetrewError } from '@ketrew/engine';

/**
 * Stable error codes of the HTTP API (the `error.code` of every error response); clients may
 * switch on them. Each code has one HTTP status, listed in `STATUS_OF_CODE`.
 */
export const SERVER_ERROR_CODES = {
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  readOnly: 'read-only',
  invalidRequest: 'invalid-request',
  invalidJson: 'invalid-json',
  invalidWorkflow: 'invalid-workflow',
  unknownBackend: 'unknown-backend',
  invalidFilter: 'invalid-filter',
  notFound: 'not-found',
  noRun: 'no-run',
  unsupportedOperation: 'unsupported-operation',
  invalidState: 'invalid-state',
  payloadTooLarge: 'payload-too-large',
  engineUnavailable: 'engine-unavailable',
  backendUnavailable: 'backend-unavailable',
  backendError: 'backend-error',
  storeError: 'store-error',
  shuttingDown: 'shutting-down',
  internal: 'internal-error',
  invalidTokensFile: 'invalid-tokens-file',
  tokenExists: 'token-exists',
  invalidToken: 'invalid-token',
} as const;

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[keyof typeof SERVER_ERROR_CODES];

export const STATUS_OF_CODE = {
  unauthorized: 401,
  forbidden: 403,
  'read-only': 403,
  'invalid-request': 400,
  'invalid-json': 400,
  'invalid-workflow': 400,
  'unknown-backend': 400,
  'invalid-filter': 400,
  'not-found': 404,
  'no-run': 404,
  'unsupported-operation': 404,
  'invalid-state': 409,
  'payload-too-large': 413,
  'engine-unavailable': 503,
  'backend-unavailable': 503,
  'backend-error': 502,
  'store-error': 503,
  'shutting-down': 503,
  'internal-error': 500,
  'invalid-tokens-file': 500,
  'token-exists': 409,
  'invalid-token': 400,
} as const satisfies Record<ServerErrorCode, number>;

export type ErrorStatus = (typeof STATUS_OF_CODE)[ServerErrorCode];

/** An error the server answers with on purpose: a code, a message for humans, and details. */
export class ServerError extends Error {
  readonly code: ServerErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ServerErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServerError';
    this.code = code;
    this.details = options.details ?? {};
  }

  get status(): ErrorStatus {
    return STATUS_OF_CODE[this.code];
  }
}

/** The body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: ServerErrorCode;
    readonly message: string;
    readonly details: Readonly<Record<string, unknown>>;
    readonly stack?: string | undefined;
  };
}

/**
 * Turn anything thrown into the wire error shape and its HTTP status. Engine errors keep their
 * meaning (`not-found` → 404, a retryable store error → 503, …); anything unknown is a 500 whose
 * message says nothing of the internals. The stack is included only with `returnErrorStacks`.
 */
export function toErrorResponse(
  error: unknown,
  options: { readonly returnErrorStacks: boolean },
): { readonly status: ErrorStatus; readonly body: ErrorBody } {
  const serverError = asServerError(error);
  const stack =
    options.returnErrorStacks && error instanceof Error && error.stack !== undefined
      ? error.stack
      : undefined;
  return {
    status: serverError.status,
    body: {
      error: {
        code: serverError.code,
        message: serverError.message,
        details: serverError.details,
        ...(stack === undefined ? {} : { stack }),
      },
    },
  };
}

function asServerError(error: unknown): ServerError {
  if (error instanceof ServerError) return error;
  if (error instanceof KetrewError) {
    const details = { ...error.details };
    switch (error.code) {
      case 'not-found':
        return new ServerError('not-found', error.message, { details });
      case 'invalid-workflow':
      case 'unknown-backend': {
        // The engine lists problems as `details.problems`; the API calls them `errors`.
        const { problems, ...rest } = details;
        return new ServerError(error.code, error.message, {
          details: problems === undefined ? rest : { ...rest, errors: problems },
        });
      }
      case 'invalid-state':
        return new ServerError('invalid-state', error.message, { details });
      case 'unsupported-operation':
        return new ServerError('unsupported-operation', error.message, { details });
      case 'backend-error':
      case 'transport-error':
        return new ServerError('backend-error', error.message, { details });
      case 'store-error':
        return 'retryable' in error && error.retryable === true
          ? new ServerError('store-error', error.message, { details })
          : new ServerError('internal-error', error.message, { details });
      case 'closed':
        return new ServerError('shutting-down', error.message, { details });
      default:
        return unreachable(error.code);
    }
  }
  return new ServerError('internal-error', 'internal server error');
}

function unreachable(value: never): never {
  throw new Error(`unhandled error code ${String(value)}`);
}
