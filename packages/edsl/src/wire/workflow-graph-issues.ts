import { jsonPointer } from './json-pointer.js';
import type { ValidationIssue } from './validation-issue.js';

const EDGE_FIELDS = ['dependsOn', 'onSuccessActivate', 'onFailureActivate'] as const;
const MAX_CYCLES_REPORTED = 20;

interface GraphNode {
  readonly index: number;
  readonly id: string;
  readonly edges: Readonly<Record<(typeof EDGE_FIELDS)[number], readonly unknown[]>>;
}

/**
 * The problems of a workflow as a graph: duplicate ids, a root that is not a node, edges to ids
 * that are not nodes, and cycles through `dependsOn` (a node can never wait for itself). Reads
 * the raw document leniently, so it runs even when the schema found other problems.
 */
export function workflowGraphIssues(document: unknown): ValidationIssue[] {
  const nodes = graphNodesOf(document);
  if (nodes === null) return [];
  const issues: ValidationIssue[] = [];
  const indexById = new Map<string, number>();
  for (const node of nodes) {
    const first = indexById.get(node.id);
    if (first === undefined) indexById.set(node.id, node.index);
    else {
      issues.push({
        pointer: jsonPointer(['nodes', node.index, 'id']),
        message: `duplicate id "${node.id}" (also the id of /nodes/${first})`,
      });
    }
  }
  const root = (document as { root?: unknown }).root;
  if (typeof root === 'string' && !indexById.has(root)) {
    issues.push({ pointer: '/root', message: `root "${root}" is not the id of any node` });
  }
  for (const node of nodes) {
    for (const field of EDGE_FIELDS) {
      node.edges[field].forEach((target, position) => {
        if (typeof target === 'string' && !indexById.has(target)) {
          issues.push({
            pointer: jsonPointer(['nodes', node.index, field, position]),
            message: `unknown node id "${target}" (no node has this id)`,
          });
        }
      });
    }
  }
  issues.push(...dependencyCycleIssues(nodes, indexById));
  return issues;
}

function graphNodesOf(document: unknown): GraphNode[] | null {
  if (typeof document !== 'object' || document === null) return null;
  const nodes: unknown = (document as { nodes?: unknown }).nodes;
  if (!Array.isArray(nodes)) return null;
  const result: GraphNode[] = [];
  nodes.forEach((node: unknown, index) => {
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record['id'] !== 'string') return;
    const edgesOf = (field: string): readonly unknown[] => {
      const value = record[field];
      return Array.isArray(value) ? value : [];
    };
    result.push({
      index,
      id: record['id'],
      edges: {
        dependsOn: edgesOf('dependsOn'),
        onSuccessActivate: edgesOf('onSuccessActivate'),
        onFailureActivate: edgesOf('onFailureActivate'),
      },
    });
  });
  return result;
}

/** Depth-first search without recursion (workflows may be chains of 100,000 nodes). */
function dependencyCycleIssues(
  nodes: readonly GraphNode[],
  indexById: ReadonlyMap<string, number>,
): ValidationIssue[] {
  const byIndex = new Map(nodes.map((n) => [n.index, n]));
  const targetsOf = (node: GraphNode): number[] =>
    node.edges.dependsOn.flatMap((t) => {
      const i = typeof t === 'string' ? indexById.get(t) : undefined;
      return i === undefined ? [] : [i];
    });
  const state = new Map<number, 'open' | 'done'>();
  const issues: ValidationIssue[] = [];
  for (const start of nodes) {
    if (state.has(start.index)) continue;
    const stack: { node: GraphNode; targets: number[]; next: number }[] = [];
    const enter = (node: GraphNode): void => {
      state.set(node.index, 'open');
      stack.push({ node, targets: targetsOf(node), next: 0 });
    };
    enter(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      if (frame.next >= frame.targets.length) {
        state.set(frame.node.index, 'done');
        stack.pop();
        continue;
      }
      const position = frame.next++;
      const target = frame.targets[position]!;
      const targetState = state.get(target);
      if (targetState === undefined) enter(byIndex.get(target)!);
      else if (targetState === 'open' && issues.length < MAX_CYCLES_REPORTED) {
        const from = stack.findIndex((f) => f.node.index === target);
        const ids = [...stack.slice(from).map((f) => f.node.id), byIndex.get(target)!.id];
        issues.push({
          pointer: jsonPointer([
            'nodes',
            frame.node.index,
            'dependsOn',
            frame.node.edges.dependsOn.indexOf(byIndex.get(target)!.id),
          ]),
          message: `cycle through dependsOn: ${ids.join(' → ')} (each depends on the next)`,
        });
      }
    }
  }
  return issues;
}
