import type { NodeSpec, WorkflowSpec } from '@ketrew/edsl';
import { describeBuildProcess } from '../output/describe-spec.js';
import type { Palette } from '../output/palette.js';

type EdgeKey = 'dependsOn' | 'onFailureActivate' | 'onSuccessActivate';

const EDGES: readonly { readonly key: EdgeKey; readonly marker: (p: Palette) => string }[] = [
  { key: 'dependsOn', marker: (p) => p.green('*') },
  { key: 'onFailureActivate', marker: (p) => p.red('×') },
  { key: 'onSuccessActivate', marker: (p) => p.yellow('→') },
];

/**
 * A wire-format workflow as the indented tree `workflowToString` of @ketrew/edsl prints for a
 * workflow node (the original's dry-run format), so `submit FILE.json` and `submit FILE.ts`
 * show the same thing: under each node, what it depends on (`*`), what its failure activates
 * (`×`), what its success activates (`→`); a node met again is printed once and referenced as
 * `(#n, see above)`.
 */
export function renderWorkflowTree(spec: WorkflowSpec, palette: Palette): string {
  const byId = new Map(spec.nodes.map((node) => [node.id, node]));
  const seen = new Map<string, number>();
  for (const node of spec.nodes) {
    for (const { key } of EDGES) for (const id of node[key]) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const references = new Map<string, number>();
  const printed = new Set<string>();
  const lines: string[] = [];

  const visit = (node: NodeSpec, marker: string, depth: number): void => {
    const indent = '  '.repeat(depth);
    const shared = (seen.get(node.id) ?? 0) > 1;
    if (shared && !references.has(node.id)) references.set(node.id, references.size + 1);
    const reference = references.get(node.id);
    if (printed.has(node.id)) {
      lines.push(`${indent}${marker} ${node.name} ${palette.dim(`(#${reference}, see above)`)}`);
      return;
    }
    printed.add(node.id);
    const label = reference === undefined ? node.name : `${node.name} (#${reference})`;
    const make = node.make.backend === 'no-operation' ? '' : `: ${describeBuildProcess(node.make)}`;
    lines.push(`${indent}${marker} ${palette.bold(label)}${make}`);
    for (const { key, marker: edgeMarker } of EDGES) {
      for (const id of node[key]) {
        const target = byId.get(id);
        if (target === undefined) lines.push(`${indent}  ${palette.red(`? unknown node ${id}`)}`);
        else visit(target, edgeMarker(palette), depth + 1);
      }
    }
  };

  const root = byId.get(spec.root);
  if (root !== undefined) visit(root, EDGES[0]?.marker(palette) ?? '*', 0);
  for (const node of spec.nodes) if (!printed.has(node.id)) visit(node, palette.dim('○'), 0);
  return lines.join('\n');
}
