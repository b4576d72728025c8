import type { WorkflowSpec } from '@ketrew/edsl';
import type { NodeCommand } from '../core/commands.js';
import type { CoreConfig } from '../core/core-config.js';
import { conditionKey } from '../core/condition-key.js';
import { createEngineNode } from '../core/create-engine-node.js';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import { historyEntryOf } from '../core/history-entry.js';
import { mergeEquivalent } from '../core/merge-equivalent.js';
import { transition } from '../core/transition.js';
import type { WorkflowRecord } from '../ports/store.js';

/** What a submission writes, and the commands its activations issued (run after the write). */
export interface SubmissionPlan {
  readonly workflow: WorkflowRecord;
  readonly nodes: readonly EngineNode[];
  readonly history: readonly HistoryEntry[];
  /** Ids of new nodes merged into existing equivalent ones → those ids. */
  readonly merged: ReadonlyMap<string, string>;
  readonly commands: readonly { readonly node: EngineNode; readonly command: NodeCommand }[];
}

/**
 * Turn a validated workflow into engine nodes: merge equivalents into `candidates` (the
 * existing nodes `findEquivalent` returned), create every node passive, and activate the ones
 * whose spec says `active` right away, so that the activation is part of the insert and a crash
 * right after it loses nothing. Pure.
 */
export function planSubmission(
  spec: WorkflowSpec,
  options: {
    readonly workflowId: string;
    readonly time: number;
    readonly candidates: Iterable<EngineNode>;
    readonly core: CoreConfig;
  },
): SubmissionPlan {
  const { workflowId, time } = options;
  const merged = mergeEquivalent(spec.nodes, options.candidates);
  const nodes: EngineNode[] = [];
  const history: HistoryEntry[] = [];
  const commands: { node: EngineNode; command: NodeCommand }[] = [];
  for (const nodeSpec of spec.nodes) {
    const created = createEngineNode(nodeSpec, workflowId, time, {
      equivalentTo: merged.get(nodeSpec.id) ?? null,
    });
    history.push(historyEntryOf(created, time));
    if (!nodeSpec.active) {
      nodes.push(created);
      continue;
    }
    const result = transition(
      created,
      { kind: 'activate', by: { kind: 'user' }, time },
      options.core,
    );
    nodes.push(result.node);
    history.push(...result.history);
    for (const command of result.commands) commands.push({ node: result.node, command });
  }
  return {
    workflow: { id: workflowId, rootId: spec.root, submittedAt: time, spec },
    nodes,
    history,
    merged,
    commands,
  };
}

/** The condition keys `store.findEquivalent` must be asked about for this workflow. */
export function equivalenceKeysOf(spec: WorkflowSpec): string[] {
  const keys = new Set<string>();
  for (const node of spec.nodes) {
    if (node.equivalence !== 'same-active-condition') continue;
    const key = conditionKey(node.condition);
    if (key !== null) keys.add(key);
  }
  return [...keys];
}
