import { StoreError } from '@ketrew/engine';
import { CommitFailedError } from '@ketrew/store-kysely';

/** SQLSTATEs after which the same call may succeed: the server restarting, contention. */
const TRANSIENT_STATES = new Set([
  '57P01', // admin_shutdown: the server is restarting or the backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Node socket errors and `pg` messages meaning the connection is gone or never came. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Client was closed/i;

export type ErrorClass = 'connection' | 'transient' | 'ambiguous-commit' | 'fatal';

/**
 * What a failure means for a retry: `connection` (the server is unreachable or dropped us) and
 * `transient` (the server asked us to retry) may be retried; a COMMIT whose connection was lost
 * (`ambiguous-commit`) may have been applied, so it is not; the rest is `fatal`.
 */
export function classifyPostgresError(error: unknown): ErrorClass {
  if (error instanceof CommitFailedError) {
    const cause = classifyPostgresError(error.cause);
    return cause === 'connection' ? 'ambiguous-commit' : cause;
  }
  const { code, message } = fieldsOf(error);
  if (code !== undefined && TRANSIENT_STATES.has(code)) {
    return code.startsWith('08') || code.startsWith('57') ? 'connection' : 'transient';
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) return 'connection';
  if (code === undefined && CONNECTION_MESSAGES.test(message)) return 'connection';
  // AggregateError from `net` when every address of a host refused the connection.
  if (
    error instanceof AggregateError &&
    error.errors.some((e) => classifyPostgresError(e) === 'connection')
  ) {
    return 'connection';
  }
  return 'fatal';
}

/** Turns a failure of a store call into a `StoreError` naming the database. */
export function postgresStoreError(
  error: unknown,
  operation: string,
  label: string,
  attempts: number,
): StoreError {
  if (error instanceof StoreError) return error;
  const kind = classifyPostgresError(error);
  const cause = error instanceof CommitFailedError ? error.cause : error;
  const { code, message } = fieldsOf(cause);
  const tried = attempts > 1 ? ` (${attempts} attempts)` : '';
  const details = { operation, attempts, ...(code === undefined ? {} : { code }) };
  switch (kind) {
    case 'connection':
      return new StoreError(
        `cannot reach ${label}${tried}: ${message}: is PostgreSQL running and reachable?`,
        { retryable: true, cause, details },
      );
    case 'ambiguous-commit':
      return new StoreError(
        `${label}: the connection was lost while committing ${operation} (${message}): the write may or may not have been applied`,
        { retryable: false, cause, details },
      );
    case 'transient':
      return new StoreError(`${label}: ${operation} failed${tried}: ${message}`, {
        retryable: true,
        cause,
        details,
      });
    case 'fatal':
      return new StoreError(`${label}: ${operation} failed: ${message}`, {
        retryable: false,
        cause,
        details,
      });
    default:
      return kind satisfies never;
  }
}

function fieldsOf(error: unknown): { code: string | undefined; message: string } {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  const message =
    error instanceof AggregateError && error.message === ''
      ? error.errors.map((e: unknown) => fieldsOf(e).message).join('; ')
      : error instanceof Error
        ? error.message
        : String(error);
  return { code, message };
}
