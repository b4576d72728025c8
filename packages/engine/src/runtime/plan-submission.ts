import type { WorkflowSpec } from '@ketrew/edsl';
import type { NodeCommand } from '../core/commands.js';
import type { CoreConfig } from '../core/core-config.js';
import { conditionKey } from '../core/condition-key.js';
import { createEngineNode } from '../core/create-engine-node.js';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { NodeEvent } from '../core/events.js';
import { historyEntryOf } from '../core/history-entry.js';
import { mergeEquivalent } from '../core/merge-equivalent.js';
import { transition } from '../core/transition.js';
import type { WorkflowRecord } from '../ports/store.js';
import { PairQueue } from './fifo-queue.js';

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
 * existing nodes `findEquivalent` returned), create every node passive, activate the ones whose
 * spec says `active`, and follow the activations they issue among the new nodes (the root
 * activates what it depends on, which activate theirs…), in the order the runtime would. So the
 * first cascade is part of the insert — each node is written once, already `building` if it is
 * needed — and a crash right after it loses nothing. Activations of existing nodes (a merged
 * node waits for the node it was merged into) and every other command are returned, to be carried
 * out after the insert. Pure.
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
  const index = new Map<string, number>();
  const history: HistoryEntry[] = [];
  const commands: { node: EngineNode; command: NodeCommand }[] = [];
  const activations = new PairQueue<string, NodeEvent>();
  const user: NodeEvent = { kind: 'activate', by: { kind: 'user' }, time };
  for (const nodeSpec of spec.nodes) {
    const created = createEngineNode(nodeSpec, workflowId, time, {
      equivalentTo: merged.get(nodeSpec.id) ?? null,
    });
    history.push(historyEntryOf(created, time));
    index.set(created.id, nodes.length);
    nodes.push(created);
    if (nodeSpec.active) activations.push(created.id, user);
  }
  const activate = (id: string, event: NodeEvent): void => {
    const at = index.get(id) as number;
    const result = transition(nodes[at] as EngineNode, event, options.core);
    if (result.node === nodes[at]) return;
    nodes[at] = result.node;
    for (const entry of result.history) history.push(entry);
    for (const command of result.commands) {
      if (command.kind !== 'activate') {
        commands.push({ node: result.node, command });
        continue;
      }
      const outside = command.ids.filter((target) => !index.has(target));
      if (outside.length > 0) {
        commands.push({ node: result.node, command: { ...command, ids: outside } });
      }
      // One event serves every target, as in the runtime.
      const next: NodeEvent = { kind: 'activate', by: command.by, time };
      for (const target of command.ids) if (index.has(target)) activations.push(target, next);
    }
  };
  while (activations.shift(activate));
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
