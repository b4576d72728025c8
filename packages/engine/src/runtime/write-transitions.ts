import type { Clock } from './clock.js';
import type { EngineConfig } from './engine-config.js';
import { isRecoverable } from '../errors.js';
import type { Store, TransitionBatch } from '../ports/store.js';

/**
 * Write one tick: retryable store errors are retried with backoff (`storeRetryBaseMs` doubling
 * up to `storeRetryMaxMs`, each reported to `onRetry`); returns `null` once written, or the
 * error that cannot be retried.
 */
export async function writeTransitions(
  store: Store,
  clock: Clock,
  config: Pick<EngineConfig, 'storeRetryBaseMs' | 'storeRetryMaxMs'>,
  batch: TransitionBatch,
  onRetry: (error: unknown) => void,
): Promise<unknown> {
  for (let failures = 1; ; failures++) {
    try {
      await store.applyTransitions(batch);
      return null;
    } catch (error) {
      if (!isRecoverable(error)) return error;
      onRetry(error);
      await clock.sleep(
        Math.min(config.storeRetryBaseMs * 2 ** (failures - 1), config.storeRetryMaxMs),
      );
    }
  }
}
