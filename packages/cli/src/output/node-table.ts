import type { ApiNode } from '../client/api-types.js';
import { backendOf } from './describe-spec.js';
import { colourStatus, describeState, formatAgo } from './node-format.js';
import type { Palette } from './palette.js';
import { renderTable } from './table.js';

/** The table of `list`: id, name, status, state, backend, last change, tags. */
export function renderNodeTable(
  nodes: readonly ApiNode[],
  options: {
    readonly palette: Palette;
    readonly now: number;
    readonly maxWidth?: number | undefined;
  },
): string {
  const p = options.palette;
  return renderTable(
    [
      { header: 'ID' },
      { header: 'NAME', shrinkable: true },
      { header: 'STATUS' },
      { header: 'STATE' },
      { header: 'BACKEND' },
      { header: 'UPDATED' },
      { header: 'TAGS' },
    ],
    nodes.map((node) => [
      node.id,
      node.spec.name,
      colourStatus(node.simpleStatus, p),
      shorten(describeState(node.state), 40),
      backendOf(node.spec.make),
      formatAgo(options.now, node.updatedAt),
      node.spec.tags.join(','),
    ]),
    { maxWidth: options.maxWidth, header: p.bold },
  );
}

function shorten(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
