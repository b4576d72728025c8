import type { NodeSpec, WorkflowSpec } from '@ketrew/edsl';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { WorkflowRecord } from '../ports/store.js';
import { isFrozenJson } from '../core/deep-freeze.js';
import { frozenCopy, keptOrCopied } from './frozen-copy.js';

type Memo = Map<object, unknown>;

/**
 * What the store keeps of a submission: frozen JSON that nobody else can change. What is
 * deep-frozen JSON already (a validated spec, the core's states and history entries) is kept as
 * it is, the rest copied (`keptOrCopied`). A node spec that is the same object in the workflow
 * record and in a node (the usual case) is checked or copied once and shared.
 */
export function copySubmission(
  workflow: WorkflowRecord,
  nodes: readonly EngineNode[],
  history: readonly HistoryEntry[],
): { workflow: WorkflowRecord; nodes: EngineNode[]; history: HistoryEntry[] } {
  const memo: Memo = new Map();
  const specs = new Map<NodeSpec, NodeSpec>();
  const specOf = (spec: NodeSpec): NodeSpec => {
    let kept = specs.get(spec);
    if (kept === undefined) {
      kept = keptOrCopied(spec, memo);
      specs.set(spec, kept);
    }
    return kept;
  };
  const { spec, ...record } = workflow;
  // A spec known to be frozen JSON (a validated one) is kept whole, with every node spec in it.
  if (isFrozenJson(spec)) for (const nodeSpec of spec.nodes) specs.set(nodeSpec, nodeSpec);
  return {
    workflow: Object.freeze({ ...frozenCopy(record), spec: workflowSpecOf(spec, specOf, memo) }),
    nodes: nodes.map((node) => nodeOf(node, specOf(node.spec), memo)),
    history: history.map((entry) => keptOrCopied(entry, memo)),
  };
}

/** The spec itself when nothing can change it, else a frozen copy sharing the node specs. */
function workflowSpecOf(
  spec: WorkflowSpec,
  specOf: (s: NodeSpec) => NodeSpec,
  memo: Memo,
): WorkflowSpec {
  if (isFrozenJson(spec)) return spec;
  const { nodes, ...rest } = spec;
  const copy = { ...frozenCopy(rest, memo), nodes: Object.freeze(nodes.map(specOf)) };
  return Object.freeze(copy) as WorkflowSpec;
}

function nodeOf(node: EngineNode, spec: NodeSpec, memo: Memo): EngineNode {
  const plain =
    typeof node.id === 'string' &&
    typeof node.workflowId === 'string' &&
    Number.isFinite(node.attempt) &&
    Number.isFinite(node.successiveErrors) &&
    (node.equivalentTo === null || typeof node.equivalentTo === 'string') &&
    Number.isFinite(node.createdAt) &&
    Number.isFinite(node.updatedAt);
  if (!plain) {
    const { spec: _spec, ...lifecycle } = node;
    return Object.freeze({ ...frozenCopy(lifecycle, memo), spec });
  }
  return Object.freeze({
    id: node.id,
    workflowId: node.workflowId,
    spec,
    state: keptOrCopied(node.state, memo),
    attempt: node.attempt,
    successiveErrors: node.successiveErrors,
    equivalentTo: node.equivalentTo,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
  });
}
