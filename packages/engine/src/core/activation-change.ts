import type { NodeCommand } from './commands.js';
import type { EngineNode } from './engine-node.js';
import type { ActivationReason } from './node-state.js';
import type { NodeChange } from './node-change.js';
import { BUILDING } from './constant-states.js';

/**
 * Entering `active` (activation, retry or restart). A node with a condition evaluates it first;
 * a node without one, or merged into an equivalent node (which checks the condition itself),
 * goes straight to `building` and activates what it waits for.
 */
export function enterActive(node: EngineNode, by: ActivationReason): NodeChange {
  const active = { kind: 'active', by } as const;
  const condition = node.spec.condition;
  if (condition === null || node.equivalentTo !== null) {
    return { states: [active, BUILDING], commands: activateDependencies(node) };
  }
  return { states: [active], commands: [{ kind: 'evaluate-condition', condition }] };
}

/**
 * What a `building` node waits for: its `dependsOn`, plus the node it is equivalent to.
 * The runtime counts the same list to decide when to send `dependencies-succeeded`.
 */
export function awaitedIds(node: EngineNode): readonly string[] {
  const deps = node.spec.dependsOn;
  // Most nodes wait for nothing or for one node: no set to build.
  if (node.equivalentTo === null && deps.length <= 1) return deps;
  const ids = new Set(deps);
  if (node.equivalentTo !== null) ids.add(node.equivalentTo);
  return [...ids];
}

/** `activate` for everything the node waits for; nothing if it waits for nothing. */
export function activateDependencies(node: EngineNode): NodeCommand[] {
  const ids = awaitedIds(node); // unique already
  return ids.length === 0
    ? []
    : [{ kind: 'activate', ids, by: { kind: 'dependency-of', id: node.id } }];
}

export function activateCommands(ids: readonly string[], by: ActivationReason): NodeCommand[] {
  if (ids.length === 0) return [];
  const unique = ids.length === 1 ? ids : [...new Set(ids)];
  return [{ kind: 'activate', ids: unique, by }];
}
