/** The knobs of the pure core; the runtime passes them to every transition. */
export interface CoreConfig {
  /** Recoverable errors in a row before they become fatal (the original's default: 10). */
  readonly maximumSuccessiveAttempts: number;
  /** Treat every recoverable error as fatal at once (the original's option, default off). */
  readonly turnRecoverableIntoFailure: boolean;
  /** Delay before retrying a phase after the n-th recoverable error: min(base·2^(n-1), max). */
  readonly errorBackoffBaseMs: number;
  readonly errorBackoffMaxMs: number;
}

export const DEFAULT_CORE_CONFIG: CoreConfig = {
  maximumSuccessiveAttempts: 10,
  turnRecoverableIntoFailure: false,
  errorBackoffBaseMs: 1_000,
  errorBackoffMaxMs: 60_000,
};
