/** How a PostgreSQL store retries a call after a transient failure. */
export interface RetryPolicy {
  /** Tries in all, the first included. Default 8. */
  readonly attempts?: number | undefined;
  /** Wait before the second try, in ms; doubled each time. Default 100. */
  readonly initialDelayMs?: number | undefined;
  /** Longest wait between two tries, in ms. Default 2,000 (8 tries span about 7 s). */
  readonly maxDelayMs?: number | undefined;
}

/** Runs `attempt` until it succeeds, `retry(error)` says no, or the tries run out. */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  retry: (error: unknown) => boolean,
  fail: (error: unknown, attempts: number) => Error,
): Promise<T> {
  const attempts = Math.max(1, policy.attempts ?? 8);
  let delay = policy.initialDelayMs ?? 100;
  for (let tried = 1; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= attempts || !retry(error)) throw fail(error, tried);
    }
    // Jitter, so that several processes reconnecting after a restart do not all knock at once.
    await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
    delay = Math.min(delay * 2, policy.maxDelayMs ?? 2_000);
  }
}
