import type { NodeStateKind, SimpleStatus } from '../core/node-state.js';

/** One node's change of state within a tick. */
export interface NodeChangeSummary {
  readonly nodeId: string;
  readonly workflowId: string;
  readonly attempt: number;
  readonly state: NodeStateKind;
  readonly status: SimpleStatus;
}

/**
 * What the engine tells subscribers (the server's live event stream): changes are published
 * once they are in the store, one event per tick.
 */
export type EngineEvent =
  | {
      readonly kind: 'nodes-changed';
      readonly time: number;
      readonly changes: readonly NodeChangeSummary[];
    }
  | {
      readonly kind: 'workflow-submitted';
      readonly time: number;
      readonly workflowId: string;
      readonly nodeIds: readonly string[];
    }
  | {
      readonly kind: 'notification';
      readonly time: number;
      readonly nodeId: string;
      readonly level: 'info' | 'warning' | 'error';
      readonly message: string;
    }
  /** The engine hit an error it cannot recover from (e.g. the store refuses writes) and stopped. */
  | { readonly kind: 'engine-failed'; readonly time: number; readonly message: string };
