import type { FailureReason } from './failure-reason.js';
import type { ActivationReason, RunState } from './node-state.js';

/** What a backend says about one run when polled. */
export type PollStatus =
  | { readonly kind: 'running'; readonly run?: RunState | undefined }
  | { readonly kind: 'succeeded'; readonly run?: RunState | undefined }
  | { readonly kind: 'failed'; readonly reason: FailureReason; readonly run?: RunState | undefined }
  | { readonly kind: 'lost'; readonly message: string };

/** The phase of the lifecycle a backend or host error happened in. */
export type Phase = 'condition' | 'start' | 'poll' | 'kill';

/** Why a `wake-up` was scheduled. */
export type WakeUpReason = 'retry-phase' | 'next-attempt' | 'timeout';

/**
 * Everything that can happen to a node. Time (epoch ms) arrives inside every event, so the core
 * never reads a clock.
 */
export type NodeEvent = { readonly time: number } & (
  | { readonly kind: 'activate'; readonly by: ActivationReason }
  | { readonly kind: 'condition-evaluated'; readonly value: boolean }
  /** Every dependency (and the node it is equivalent to, if any) finished successfully. */
  | { readonly kind: 'dependencies-succeeded' }
  /** These dependencies finished failed. */
  | { readonly kind: 'dependencies-failed'; readonly ids: readonly string[] }
  | { readonly kind: 'started'; readonly run: RunState }
  /** `find(jobName)` at reconciliation found the job the start intent refers to. */
  | { readonly kind: 'found'; readonly run: RunState }
  | { readonly kind: 'polled'; readonly status: PollStatus }
  | { readonly kind: 'kill-succeeded' }
  | {
      readonly kind: 'backend-failed';
      readonly phase: Phase;
      readonly recoverable: boolean;
      readonly message: string;
    }
  | { readonly kind: 'kill'; readonly message?: string | undefined }
  | { readonly kind: 'restart' }
  /** The node is passive and no active node can reach it any more. */
  | { readonly kind: 'orphaned' }
  | { readonly kind: 'wake-up'; readonly reason: WakeUpReason; readonly attempt: number }
);

export type NodeEventKind = NodeEvent['kind'];
