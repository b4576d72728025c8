import type { EngineNode } from '../core/engine-node.js';

/**
 * What the engine tells subscribers (the server's live event stream): changes are published
 * once they are in the store, one event per tick.
 */
export type EngineEvent =
  /** The nodes a tick changed, as written (immutable; use `simpleStatusOf(node.state)`). */
  | { readonly kind: 'nodes-changed'; readonly time: number; readonly nodes: readonly EngineNode[] }
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
