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
  // Positions in `nodes` (not document indexes), so the search works on plain arrays.
  const positionOfIndex = new Map(nodes.map((n, position) => [n.index, position]));
  const targets = nodes.map((node) => {
    const result: number[] = [];
    for (const target of node.edges.dependsOn) {
      const index = typeof target === 'string' ? indexById.get(target) : undefined;
      const position = index === undefined ? undefined : positionOfIndex.get(index);
      if (position !== undefined) result.push(position);
    }
    return result;
  });
  const OPEN = 1;
  const DONE = 2;
  const state = new Uint8Array(nodes.length);
  const issues: ValidationIssue[] = [];
  const path: number[] = [];
  const nextEdge: number[] = [];
  for (let start = 0; start < nodes.length; start++) {
    if (state[start] !== 0) continue;
    state[start] = OPEN;
    path.push(start);
    nextEdge.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const current = path[top]!;
      const edges = targets[current]!;
      if (nextEdge[top]! >= edges.length) {
        state[current] = DONE;
        path.pop();
        nextEdge.pop();
        continue;
      }
      const target = edges[nextEdge[top]!++]!;
      if (state[target] === 0) {
        state[target] = OPEN;
        path.push(target);
        nextEdge.push(0);
      } else if (state[target] === OPEN && issues.length < MAX_CYCLES_REPORTED) {
        const cycle = [...path.slice(path.lastIndexOf(target)), target].map((p) => nodes[p]!.id);
        const node = nodes[current]!;
        issues.push({
          pointer: jsonPointer([
            'nodes',
            node.index,
            'dependsOn',
            node.edges.dependsOn.indexOf(nodes[target]!.id),
          ]),
          message: `cycle through dependsOn: ${cycle.join(' → ')} (each depends on the next)`,
        });
      }
    }
  }
  return issues;
}
