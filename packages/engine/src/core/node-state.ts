import type { FailureReason } from './failure-reason.js';

/** Opaque, JSON-serialisable bookkeeping a backend returns from `start` and `poll`. */
export type RunState = { readonly [key: string]: unknown };

/** Why a node was activated (kept in its state and history). */
export type ActivationReason =
  | { readonly kind: 'user' }
  | { readonly kind: 'dependency-of'; readonly id: string }
  | { readonly kind: 'success-of'; readonly id: string }
  | { readonly kind: 'failure-of'; readonly id: string }
  | { readonly kind: 'retry'; readonly previousAttempt: number }
  | { readonly kind: 'restart' };

/**
 * The node lifecycle (DESIGN.md §4). A discriminated union on `kind`; names are the public,
 * stored and displayed state names (kebab-case), documented in docs/state-machine.md.
 */
export type NodeState =
  | { readonly kind: 'passive' }
  | { readonly kind: 'active'; readonly by: ActivationReason }
  | { readonly kind: 'already-done' }
  | { readonly kind: 'building' }
  /** The start intent: persisted before the backend is called (write-ahead). */
  | { readonly kind: 'starting'; readonly jobName: string }
  | {
      readonly kind: 'running';
      readonly jobName: string;
      readonly run: RunState;
      readonly since: number;
    }
  | { readonly kind: 'ran-successfully'; readonly jobName: string; readonly run: RunState }
  | { readonly kind: 'did-nothing' }
  | { readonly kind: 'verified-success' }
  | {
      readonly kind: 'dependencies-failed';
      readonly reason: FailureReason;
      readonly nextAttemptAt?: number | undefined;
    }
  | {
      readonly kind: 'failed-to-start';
      readonly reason: FailureReason;
      readonly nextAttemptAt?: number | undefined;
    }
  | {
      readonly kind: 'failed-running';
      readonly reason: FailureReason;
      readonly run?: RunState | undefined;
      readonly nextAttemptAt?: number | undefined;
    }
  | {
      readonly kind: 'did-not-ensure-condition';
      readonly reason: FailureReason;
      readonly nextAttemptAt?: number | undefined;
    }
  | {
      readonly kind: 'failed-to-eval-condition';
      readonly reason: FailureReason;
      readonly nextAttemptAt?: number | undefined;
    }
  | {
      readonly kind: 'killing';
      readonly jobName: string | null;
      readonly run: RunState | null;
      /** The reason the node will fail with once killed (`killed` or `timeout`). */
      readonly reason: FailureReason;
    }
  | {
      readonly kind: 'killed';
      readonly reason: FailureReason;
      readonly fromPassive: boolean;
      /** Set when a kill for a `timeout` is retried (a user's kill never is). */
      readonly nextAttemptAt?: number | undefined;
    }
  | { readonly kind: 'failed-to-kill'; readonly reason: FailureReason }
  | {
      readonly kind: 'finished';
      readonly outcome: 'successful' | 'failed';
      /** The failure that ended the node (absent on success). */
      readonly reason?: FailureReason | undefined;
      /** The state the node finished from, e.g. `verified-success` or `failed-running`. */
      readonly from: Exclude<NodeStateKind, 'finished'>;
    };

/*
 * `nextAttemptAt` (epoch ms) on a failed state means the node's retry policy granted another
 * attempt, due at that time; the node stays in the failed state until then.
 */

export type NodeStateKind = NodeState['kind'];

/** The original's four simple statuses, for filters and dashboards. */
export type SimpleStatus = 'activable' | 'in-progress' | 'successful' | 'failed';

/** Every state of simple status `failed`. */
export const FAILED_STATES = [
  'dependencies-failed',
  'failed-to-start',
  'failed-running',
  'did-not-ensure-condition',
  'failed-to-eval-condition',
  'killed',
  'failed-to-kill',
] as const satisfies readonly NodeStateKind[];

/**
 * The failed states a retry policy may act on: the node stays in one of them, with
 * `nextAttemptAt` set, until its next attempt. (`failed-to-kill` never retries: the job may still
 * be alive.)
 */
export const RETRYABLE_FAILED_STATES = [
  'dependencies-failed',
  'failed-to-start',
  'failed-running',
  'did-not-ensure-condition',
  'failed-to-eval-condition',
  'killed',
] as const satisfies readonly NodeStateKind[];

export type RetryableFailedStateKind = (typeof RETRYABLE_FAILED_STATES)[number];

export type RetryableFailedState = Extract<NodeState, { readonly kind: RetryableFailedStateKind }>;

/** Whether the state is one of `RETRYABLE_FAILED_STATES`. */
export function isRetryableFailedState(state: NodeState): state is RetryableFailedState {
  return (RETRYABLE_FAILED_STATES as readonly string[]).includes(state.kind);
}
