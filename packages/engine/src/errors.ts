/** Stable error codes of the engine and its ports; clients may switch on them. */
export const ENGINE_ERROR_CODES = {
  backend: 'backend-error',
  transport: 'transport-error',
  store: 'store-error',
  unsupported: 'unsupported-operation',
  closed: 'closed',
  notFound: 'not-found',
  invalidWorkflow: 'invalid-workflow',
  unknownBackend: 'unknown-backend',
  invalidState: 'invalid-state',
} as const;

export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[keyof typeof ENGINE_ERROR_CODES];

/** Base class of every error the engine and its plugins throw on purpose. */
export class KetrewError extends Error {
  readonly code: EngineErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: EngineErrorCode,
    message: string,
    options: { readonly cause?: unknown; readonly details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details ?? {};
  }
}

/**
 * An error from a backend or a host. `recoverable` errors (SSH timeout, scheduler command
 * unavailable, …) are retried with backoff and counted; fatal ones fail the node at once.
 */
export class BackendError extends KetrewError {
  readonly recoverable: boolean;

  constructor(
    message: string,
    options: {
      readonly recoverable: boolean;
      readonly cause?: unknown;
      readonly details?: Record<string, unknown>;
    },
  ) {
    super(ENGINE_ERROR_CODES.backend, message, options);
    this.recoverable = options.recoverable;
  }
}

/** An error reaching or using a host (command, file). Recoverable or not, like BackendError. */
export class TransportError extends KetrewError {
  readonly recoverable: boolean;

  constructor(
    message: string,
    options: {
      readonly recoverable: boolean;
      readonly cause?: unknown;
      readonly details?: Record<string, unknown>;
    },
  ) {
    super(ENGINE_ERROR_CODES.transport, message, options);
    this.recoverable = options.recoverable;
  }
}

/** A store failure; the message names the database. Nothing of the failed call was written. */
export class StoreError extends KetrewError {
  readonly retryable: boolean;

  constructor(
    message: string,
    options: {
      readonly retryable: boolean;
      readonly cause?: unknown;
      readonly details?: Record<string, unknown>;
    },
  ) {
    super(ENGINE_ERROR_CODES.store, message, options);
    this.retryable = options.retryable;
  }
}

/** A plugin was asked for an optional capability it does not have. */
export class UnsupportedOperationError extends KetrewError {
  constructor(plugin: string, operation: string) {
    super(ENGINE_ERROR_CODES.unsupported, `${plugin} does not support ${operation}`, {
      details: { plugin, operation },
    });
  }
}

/** A port was used before `init`/after `close`. */
export class ClosedError extends KetrewError {
  constructor(what: string) {
    super(ENGINE_ERROR_CODES.closed, `${what} is closed`);
  }
}

/** Is this error worth retrying? Anything unknown is treated as fatal. */
export function isRecoverable(error: unknown): boolean {
  return (
    ((error instanceof BackendError || error instanceof TransportError) && error.recoverable) ||
    (error instanceof StoreError && error.retryable)
  );
}
