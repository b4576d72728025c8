import type { CommandContext } from '../command-context.js';
import type { CommandRegistration } from '../command-registry.js';
import type { NodeDetailResponse } from '../client/api-types.js';
import {
  describeBuildProcess,
  describeCondition,
  describeProduct,
} from '../output/describe-spec.js';
import {
  colourStatus,
  describeHistoryState,
  describeState,
  formatAgo,
  formatTime,
} from '../output/node-format.js';
import { resolveNodeId } from './node-ids.js';

/** `ketrew show ID`: a node's summary, edges in both directions, and its history. */
export const showCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'show <id>',
    'Show a node: summary, edges (both directions) and status history',
    (y) =>
      y
        .positional('id', {
          type: 'string',
          demandOption: true,
          describe: 'Node id (or a unique prefix)',
        })
        .option('all-attempts', {
          type: 'boolean',
          default: false,
          describe: 'History of every attempt, not only the last',
        }),
    (args) =>
      select(async (ctx) => {
        const id = await resolveNodeId(ctx, args.id);
        const detail = await ctx.client().node(id);
        if (ctx.json) ctx.printJson(detail);
        else ctx.print(describeNodeDetail(ctx, detail, { allAttempts: args.allAttempts }));
      }),
  );

/** The human page of `show`. */
export function describeNodeDetail(
  ctx: CommandContext,
  detail: NodeDetailResponse,
  options: { readonly allAttempts: boolean },
): string {
  const c = ctx.colours;
  const { node, edges } = detail;
  const now = ctx.now();
  const field = (label: string, value: string): string => `  ${c.dim(label.padEnd(12))}${value}`;
  const lines = [
    `${c.bold(node.spec.name)} ${c.dim(node.id)}`,
    field('status', `${colourStatus(node.simpleStatus, c)} — ${describeState(node.state)}`),
    field('attempt', String(node.attempt)),
    field('workflow', node.workflowId),
    field('created', `${formatTime(node.createdAt)} (${formatAgo(now, node.createdAt)})`),
    field('updated', `${formatTime(node.updatedAt)} (${formatAgo(now, node.updatedAt)})`),
    field('tags', node.spec.tags.length === 0 ? c.dim('none') : node.spec.tags.join(', ')),
    field('runs', describeBuildProcess(node.spec.make)),
    field('condition', describeCondition(node.spec.condition)),
    field('product', describeProduct(node.spec.product)),
    field('equivalence', node.spec.equivalence),
  ];
  if (node.equivalentTo !== null) lines.push(field('merged into', node.equivalentTo));
  if (node.spec.metadata !== null) {
    const metadata =
      typeof node.spec.metadata === 'string'
        ? node.spec.metadata
        : JSON.stringify(node.spec.metadata);
    lines.push(field('metadata', metadata));
  }
  if (node.spec.retry !== null)
    lines.push(
      field(
        'retry',
        `up to ${node.spec.retry.attempts} attempts on ${node.spec.retry.on.join(', ')}`,
      ),
    );
  if (node.spec.timeout !== null) lines.push(field('timeout', `${node.spec.timeout} s`));
  if (node.successiveErrors > 0)
    lines.push(field('errors', c.yellow(`${node.successiveErrors} recoverable error(s) in a row`)));

  const edgeLines = (
    [
      ['depends on', edges.dependsOn],
      ['depended on by', edges.dependedOnBy],
      ['on success activates', edges.onSuccessActivate],
      ['on failure activates', edges.onFailureActivate],
      ['activated on success of', edges.activatedOnSuccessOf],
      ['activated on failure of', edges.activatedOnFailureOf],
    ] as const
  )
    .filter(([, ids]) => ids.length > 0)
    .map(([label, ids]) => `  ${c.dim(label.padEnd(24))}${ids.join(', ')}`);
  lines.push(c.bold('Edges'), ...(edgeLines.length === 0 ? [`  ${c.dim('none')}`] : edgeLines));

  const history = options.allAttempts
    ? detail.history
    : detail.history.filter((h) => h.attempt === node.attempt);
  const hidden = detail.history.length - history.length;
  lines.push(
    c.bold(
      `History${options.allAttempts ? '' : ` (attempt ${node.attempt}${hidden > 0 ? `; --all-attempts shows ${hidden} more` : ''})`}`,
    ),
  );
  for (const entry of history) {
    const attempt = options.allAttempts ? `#${entry.attempt} ` : '';
    const message = entry.message === null ? '' : c.dim(` — ${entry.message}`);
    lines.push(
      `  ${c.dim(formatTime(entry.time))}  ${attempt}${describeHistoryState(entry.state)}${message}`,
    );
  }
  return lines.join('\n');
}
