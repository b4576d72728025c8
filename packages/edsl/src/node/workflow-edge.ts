import type { WorkflowNode } from './workflow-node.js';

/** A link from a node to another: what it waits for, or what it activates when it ends. */
export type WorkflowEdge =
  | { readonly kind: 'depends-on'; readonly node: WorkflowNode }
  | { readonly kind: 'on-success-activate'; readonly node: WorkflowNode }
  | { readonly kind: 'on-failure-activate'; readonly node: WorkflowNode };

/** This node waits for `node` to succeed, and activates it first. */
export function dependsOn(node: WorkflowNode): WorkflowEdge {
  return Object.freeze({ kind: 'depends-on', node });
}

/** When this node succeeds, `node` is activated (e.g. a clean-up or a notification). */
export function onSuccessActivate(node: WorkflowNode): WorkflowEdge {
  return Object.freeze({ kind: 'on-success-activate', node });
}

/** When this node fails, `node` is activated (e.g. a notification). */
export function onFailureActivate(node: WorkflowNode): WorkflowEdge {
  return Object.freeze({ kind: 'on-failure-activate', node });
}
