import type { NodeSpec } from '@ketrew/edsl';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { WorkflowRecord } from '../ports/store.js';
import { frozenCopy } from './frozen-copy.js';

/**
 * Frozen copies of a submission. A node spec that is the same object in the workflow record
 * and in a node (the usual case) is copied once and shared, which halves the cost of storing a
 * large workflow.
 */
export function copySubmission(
  workflow: WorkflowRecord,
  nodes: readonly EngineNode[],
  history: readonly HistoryEntry[],
): { workflow: WorkflowRecord; nodes: EngineNode[]; history: HistoryEntry[] } {
  const specs = new Map<NodeSpec, NodeSpec>();
  const copySpec = (spec: NodeSpec): NodeSpec => {
    let copy = specs.get(spec);
    if (copy === undefined) {
      copy = frozenCopy(spec);
      specs.set(spec, copy);
    }
    return copy;
  };
  const { spec, ...record } = workflow;
  const { nodes: nodeSpecs, ...specRest } = spec;
  const workflowCopy: WorkflowRecord = Object.freeze({
    ...frozenCopy(record),
    spec: Object.freeze({ ...frozenCopy(specRest), nodes: Object.freeze(nodeSpecs.map(copySpec)) }),
  }) as WorkflowRecord;
  const nodeCopies = nodes.map(({ spec: nodeSpec, ...lifecycle }) =>
    Object.freeze({ ...frozenCopy(lifecycle), spec: copySpec(nodeSpec) }),
  );
  return {
    workflow: workflowCopy,
    nodes: nodeCopies,
    history: frozenCopy(history as HistoryEntry[]),
  };
}
