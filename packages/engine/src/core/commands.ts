import type { ConditionSpec } from '@ketrew/edsl';
import type { ActivationReason, RunState } from './node-state.js';
import type { WakeUpReason } from './events.js';

/**
 * What the core asks the runtime to do, as data. The runtime carries each one out through the
 * ports and feeds the outcome back as a `NodeEvent`.
 */
export type NodeCommand =
  /** Evaluate the condition on its hosts → `condition-evaluated` or `backend-failed`. */
  | { readonly kind: 'evaluate-condition'; readonly condition: ConditionSpec }
  /**
   * Start the build process under this job name → `started`, or `backend-failed`. With
   * `findFirst`, first ask the backend whether a job of that name already exists (after a crash or
   * a recoverable error that may have hidden a successful start) → `found` instead.
   */
  | { readonly kind: 'start'; readonly jobName: string; readonly findFirst: boolean }
  /** Poll this running node in the backend's batches until it leaves `running`. */
  | { readonly kind: 'watch' }
  /** Kill the job (find it first when `run` is null) → `kill-succeeded` or `backend-failed`. */
  | { readonly kind: 'kill'; readonly jobName: string | null; readonly run: RunState | null }
  /** Feed `activate` to these nodes. */
  | { readonly kind: 'activate'; readonly ids: readonly string[]; readonly by: ActivationReason }
  /** Feed `wake-up` to this node at time `at` (epoch ms). */
  | {
      readonly kind: 'wake-up';
      readonly at: number;
      readonly reason: WakeUpReason;
      readonly attempt: number;
    }
  /**
   * The node reached `finished`: tell the nodes that depend on it (and those equivalent to it)
   * that it ended with this outcome.
   */
  | { readonly kind: 'release-dependents'; readonly outcome: 'successful' | 'failed' }
  /** A user-facing notification. */
  | {
      readonly kind: 'notify';
      readonly level: 'info' | 'warning' | 'error';
      readonly message: string;
    };

export type NodeCommandKind = NodeCommand['kind'];
