import { Host } from '../host/host.js';
import type { WorkflowEdge } from '../node/workflow-edge.js';
import type { WorkflowNode } from '../node/workflow-node.js';
import { Program } from '../program/program.js';
import { ProgramSchema } from '../wire/program-schema.js';
import { walkWorkflow } from './walk-workflow.js';

export interface WorkflowToStringOptions {
  /** Colour the markers for a terminal. Default false. */
  readonly ansiColors?: boolean | undefined;
  /** Spaces per level. Default 2. */
  readonly indentation?: number | undefined;
  /** Show each node's build process and commands after its name. Default true. */
  readonly details?: boolean | undefined;
}

const MARKERS: Record<WorkflowEdge['kind'], { readonly text: string; readonly color: string }> = {
  'depends-on': { text: '*', color: '1;32' },
  'on-failure-activate': { text: '×', color: '1;31' },
  'on-success-activate': { text: '→', color: '1;33' },
};
const EDGE_ORDER: readonly WorkflowEdge['kind'][] = [
  'depends-on',
  'on-failure-activate',
  'on-success-activate',
];

/**
 * The workflow as the original's indented tree, for dry runs: under each node, what it depends
 * on (`*`), what its failure activates (`×`) and what its success activates (`→`). A node
 * reached more than once is printed in full once, marked `(#n)`, and referenced after as
 * `(#n, see above)`.
 *
 * @example
 * * backup
 *   * md5: daemonize on /tmp/KT: md5sum /tmp/backup.tgz > /tmp/backup.md5
 *     * tarball (#1): daemonize on /tmp/KT: tar czf /tmp/backup.tgz /home/me
 *   * tarball (#1, see above)
 */
export function workflowToString(
  root: WorkflowNode,
  options: WorkflowToStringOptions = {},
): string {
  const indentation = options.indentation ?? 2;
  const details = options.details ?? true;
  const paint = (color: string, text: string): string =>
    options.ansiColors === true ? `\u001b[${color}m${text}\u001b[0m` : text;

  const counts = occurrences(root);
  const references = new Map<WorkflowNode, number>();
  const printed = new Set<WorkflowNode>();
  const lines: string[] = [];
  const stack: { node: WorkflowNode; kind: WorkflowEdge['kind']; depth: number }[] = [
    { node: root, kind: 'depends-on', depth: 0 },
  ];
  while (stack.length > 0) {
    const { node, kind, depth } = stack.pop()!;
    const marker = paint(MARKERS[kind].color, MARKERS[kind].text);
    const label = node.name ?? node.id;
    const indent = ' '.repeat(depth * indentation);
    if (printed.has(node)) {
      lines.push(`${indent}${marker} ${label} (#${references.get(node)}, see above)`);
      continue;
    }
    printed.add(node);
    if ((counts.get(node) ?? 0) > 1) references.set(node, references.size + 1);
    const reference = references.get(node);
    const suffix = details ? describeMake(node) : '';
    lines.push(
      `${indent}${marker} ${label}${reference === undefined ? '' : ` (#${reference})`}${suffix}`,
    );
    const children = EDGE_ORDER.flatMap((edgeKind) =>
      node.edges
        .filter((e) => e.kind === edgeKind)
        .map((e) => ({ node: e.node, kind: edgeKind, depth: depth + 1 })),
    );
    stack.push(...children.reverse());
  }
  return lines.join('\n');
}

/** How many times each node appears in the tree (the root once more, at the top). */
function occurrences(root: WorkflowNode): Map<WorkflowNode, number> {
  const counts = new Map<WorkflowNode, number>([[root, 1]]);
  for (const node of walkWorkflow(root)) {
    for (const edge of node.edges) counts.set(edge.node, (counts.get(edge.node) ?? 0) + 1);
  }
  return counts;
}

function describeMake(node: WorkflowNode): string {
  const make = node.make as Readonly<Record<string, unknown>> & { readonly backend: string };
  if (make.backend === 'no-operation') return '';
  const host = make['host'] as Host | undefined;
  const program = ProgramSchema.safeParse(make['program']);
  const where = host === undefined ? '' : ` on ${Host.toUri(host)}`;
  const commands = program.success ? `: ${Program.toShell(program.data).join(' && ')}` : '';
  return `: ${make.backend}${where}${commands}`;
}
