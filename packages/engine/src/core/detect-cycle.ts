import type { NodeSpec } from '@ketrew/edsl';
import type { EngineNode } from './engine-node.js';

/**
 * A cycle of waiting (`dependsOn`, and `equivalentTo` for engine nodes), or `null` if there is
 * none. The cycle is given as ids `[a, b, …, z]` where a waits for b, …, and z waits for a.
 * Edges to ids not in `nodes` are ignored. Iterative: deep chains do not overflow the stack.
 *
 * @example detectCycle(workflow.nodes) // ['a', 'b'] when a depends on b and b on a
 */
export function detectCycle(nodes: Iterable<NodeSpec | EngineNode>): string[] | null {
  const edges = new Map<string, readonly string[]>();
  for (const node of nodes) edges.set(node.id, waitsFor(node));
  const done = new Set<string>();
  for (const root of edges.keys()) {
    if (done.has(root)) continue;
    // Depth-first with an explicit stack of (id, index of the next edge to follow).
    const path: string[] = [];
    const onPath = new Map<string, number>();
    const stack: [string, number][] = [[root, 0]];
    onPath.set(root, 0);
    path.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [string, number];
      const [id, index] = top;
      const targets = edges.get(id) ?? [];
      if (index >= targets.length) {
        stack.pop();
        path.pop();
        onPath.delete(id);
        done.add(id);
        continue;
      }
      top[1] = index + 1;
      const target = targets[index] as string;
      if (!edges.has(target) || done.has(target)) continue;
      const at = onPath.get(target);
      if (at !== undefined) return path.slice(at);
      onPath.set(target, path.length);
      path.push(target);
      stack.push([target, 0]);
    }
  }
  return null;
}

function waitsFor(node: NodeSpec | EngineNode): readonly string[] {
  if ('spec' in node) {
    return node.equivalentTo === null
      ? node.spec.dependsOn
      : [...node.spec.dependsOn, node.equivalentTo];
  }
  return node.dependsOn;
}
