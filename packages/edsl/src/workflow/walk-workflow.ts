import type { WorkflowNode } from '../node/workflow-node.js';

/**
 * Every node reachable from `root` through all three kinds of edges, each once (by object
 * identity), root first, then depth-first in edge order. No recursion: workflows may be chains
 * of 100,000 nodes.
 */
export function walkWorkflow(root: WorkflowNode): WorkflowNode[] {
  const seen = new Set<WorkflowNode>();
  const order: WorkflowNode[] = [];
  const stack: WorkflowNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    order.push(node);
    for (let i = node.edges.length - 1; i >= 0; i--) {
      const next = node.edges[i]!.node;
      if (!seen.has(next)) stack.push(next);
    }
  }
  return order;
}
