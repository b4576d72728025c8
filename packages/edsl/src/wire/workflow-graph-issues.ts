import { jsonPointer } from './json-pointer.js';
import type { ValidationIssue } from './validation-issue.js';

const EDGE_FIELDS = ['dependsOn', 'onSuccessActivate', 'onFailureActivate'] as const;
const MAX_CYCLES_REPORTED = 20;
const NO_EDGES: readonly unknown[] = [];

/**
 * The nodes that have a string id, in document order ("positions"), with their edges resolved
 * to positions: a compact form so the checks stay linear and allocate little (a workflow may have
 * 100,000 nodes). Pointers and messages are built only for the problems found.
 */
interface GraphNodes {
  /** Each position's id and its index in the document's `nodes`. */
  readonly ids: string[];
  readonly indexes: number[];
  /** Each position's raw `dependsOn` (an empty list when it is not a list). */
  readonly dependsOn: (readonly unknown[])[];
  /** First position of each id. */
  readonly positionById: Map<string, number>;
}

/**
 * The problems of a workflow as a graph: duplicate ids, a root that is not a node, edges to ids
 * that are not nodes, and cycles through `dependsOn` (a node can never wait for itself). Reads
 * the raw document leniently, so it runs even when the schema found other problems.
 */
export function workflowGraphIssues(document: unknown): ValidationIssue[] {
  if (typeof document !== 'object' || document === null) return [];
  const raw: unknown = (document as { nodes?: unknown }).nodes;
  if (!Array.isArray(raw)) return [];
  const issues: ValidationIssue[] = [];
  const graph = graphNodesOf(raw, issues);
  const root = (document as { root?: unknown }).root;
  if (typeof root === 'string' && !graph.positionById.has(root)) {
    issues.push({ pointer: '/root', message: `root "${root}" is not the id of any node` });
  }
  const targets = edgeIssuesAndTargets(raw, graph, issues);
  dependencyCycleIssues(graph, targets, issues);
  return issues;
}

/** One pass over the nodes: the id map, and an issue per duplicate id. */
function graphNodesOf(raw: readonly unknown[], issues: ValidationIssue[]): GraphNodes {
  const graph: GraphNodes = { ids: [], indexes: [], dependsOn: [], positionById: new Map() };
  for (let index = 0; index < raw.length; index++) {
    const node = raw[index];
    if (typeof node !== 'object' || node === null) continue;
    const id: unknown = (node as { id?: unknown }).id;
    if (typeof id !== 'string') continue;
    const dependsOn: unknown = (node as { dependsOn?: unknown }).dependsOn;
    const first = graph.positionById.get(id);
    if (first === undefined) graph.positionById.set(id, graph.ids.length);
    else {
      issues.push({
        pointer: jsonPointer(['nodes', index, 'id']),
        message: `duplicate id "${id}" (also the id of /nodes/${graph.indexes[first]})`,
      });
    }
    graph.ids.push(id);
    graph.indexes.push(index);
    graph.dependsOn.push(Array.isArray(dependsOn) ? dependsOn : NO_EDGES);
  }
  return graph;
}

/**
 * An issue per edge to an unknown id (in node order, then edge field, then position), and the
 * `dependsOn` edges that resolve, as positions in compressed rows: the targets of position `p`
 * are `targets.to[targets.start[p]]` up to `targets.to[targets.start[p + 1]]`.
 */
function edgeIssuesAndTargets(
  raw: readonly unknown[],
  graph: GraphNodes,
  issues: ValidationIssue[],
): { readonly start: Int32Array; readonly to: Int32Array } {
  const count = graph.ids.length;
  const start = new Int32Array(count + 1);
  let to = new Int32Array(Math.max(16, count));
  let length = 0;
  for (let position = 0; position < count; position++) {
    start[position] = length;
    const index = graph.indexes[position]!;
    const node = raw[index] as Record<string, unknown>;
    for (const field of EDGE_FIELDS) {
      const edges = field === 'dependsOn' ? graph.dependsOn[position]! : node[field];
      if (!Array.isArray(edges)) continue;
      for (let i = 0; i < edges.length; i++) {
        const target: unknown = edges[i];
        if (typeof target !== 'string') continue;
        const targetPosition = graph.positionById.get(target);
        if (targetPosition === undefined) {
          issues.push({
            pointer: jsonPointer(['nodes', index, field, i]),
            message: `unknown node id "${target}" (no node has this id)`,
          });
        } else if (field === 'dependsOn') {
          if (length === to.length) {
            const grown = new Int32Array(to.length * 2);
            grown.set(to);
            to = grown;
          }
          to[length++] = targetPosition;
        }
      }
    }
  }
  start[count] = length;
  return { start, to };
}

/** Depth-first search without recursion (workflows may be chains of 100,000 nodes). */
function dependencyCycleIssues(
  graph: GraphNodes,
  targets: { readonly start: Int32Array; readonly to: Int32Array },
  issues: ValidationIssue[],
): void {
  const OPEN = 1;
  const DONE = 2;
  const count = graph.ids.length;
  const state = new Uint8Array(count);
  // The open path: its positions, and for each the next of its edges to follow (an offset in `to`).
  const path = new Int32Array(count);
  const nextEdge = new Int32Array(count);
  let reported = 0;
  for (let first = 0; first < count; first++) {
    if (state[first] !== 0) continue;
    state[first] = OPEN;
    path[0] = first;
    nextEdge[0] = targets.start[first]!;
    let depth = 1;
    while (depth > 0) {
      const top = depth - 1;
      const current = path[top]!;
      if (nextEdge[top]! >= targets.start[current + 1]!) {
        state[current] = DONE;
        depth--;
        continue;
      }
      const target = targets.to[nextEdge[top]!++]!;
      if (state[target] === 0) {
        state[target] = OPEN;
        path[depth] = target;
        nextEdge[depth] = targets.start[target]!;
        depth++;
      } else if (state[target] === OPEN && reported < MAX_CYCLES_REPORTED) {
        reported++;
        issues.push(cycleIssue(graph, path, top, current, target));
      }
    }
  }
}

/** The issue for the edge `current → target` that closes a cycle on the open path. */
function cycleIssue(
  graph: GraphNodes,
  path: Int32Array,
  top: number,
  current: number,
  target: number,
): ValidationIssue {
  let from = top;
  while (path[from] !== target) from--;
  const cycle: string[] = [];
  for (let i = from; i <= top; i++) cycle.push(graph.ids[path[i]!]!);
  cycle.push(graph.ids[target]!);
  return {
    pointer: jsonPointer([
      'nodes',
      graph.indexes[current]!,
      'dependsOn',
      graph.dependsOn[current]!.indexOf(graph.ids[target]),
    ]),
    message: `cycle through dependsOn: ${cycle.join(' → ')} (each depends on the next)`,
  };
}
