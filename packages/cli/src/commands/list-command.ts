import type { CommandRegistration } from '../command-registry.js';
import type { ApiNode, NodeQuery } from '../client/api-types.js';
import { renderNodeTable } from '../output/node-table.js';

const STATUSES = ['activable', 'in-progress', 'successful', 'failed'] as const;

/** `ketrew list [--filter EXPR]`: a table of nodes (`--json` for scripts). */
export const listCommand: CommandRegistration = (cli, select) =>
  cli.command(
    ['list', 'ls'],
    'List nodes, optionally filtered',
    (y) =>
      y
        .option('filter', {
          alias: 'f',
          type: 'string',
          describe: 'Filter expression, e.g. \'(and (is-failed) (tags "x"))\' (docs/api.md)',
        })
        .option('status', {
          alias: 's',
          type: 'string',
          array: true,
          nargs: 1,
          choices: STATUSES,
          describe: 'Only these simple statuses',
        })
        .option('state', {
          type: 'string',
          array: true,
          nargs: 1,
          describe: 'Only these states (running, failed-running, …)',
        })
        .option('tag', {
          alias: 't',
          type: 'string',
          array: true,
          nargs: 1,
          describe: 'Only nodes with this tag (repeat: all of them)',
        })
        .option('name', { type: 'string', describe: 'Only nodes whose name contains this' })
        .option('workflow', { type: 'string', describe: 'Only nodes of this workflow' })
        .option('limit', {
          type: 'number',
          default: 100,
          describe: 'At most this many nodes (1 to 1000)',
        })
        .option('all', {
          type: 'boolean',
          default: false,
          describe: 'Every matching node (pages through them)',
        })
        .option('ids', {
          type: 'boolean',
          default: false,
          describe: 'Print only the ids, one per line',
        }),
    (args) =>
      select(async (ctx) => {
        const query: NodeQuery = {
          filter: args.filter,
          status: args.status,
          state: args.state,
          tags: args.tag,
          name: args.name,
          workflow: args.workflow,
          limit: Math.min(1000, Math.max(1, Math.floor(args.limit))),
        };
        const client = ctx.client();
        let page = await client.listNodes(query);
        const nodes: ApiNode[] = [...page.nodes];
        while (args.all && page.next !== null) {
          ctx.progress.update(`${nodes.length} of ${page.total} nodes…`);
          page = await client.listNodes({ ...query, after: page.next });
          nodes.push(...page.nodes);
        }
        ctx.progress.clear();
        if (ctx.json) {
          ctx.printJson({ nodes, total: page.total, next: args.all ? null : page.next });
          return;
        }
        if (args.ids) {
          if (nodes.length > 0) ctx.print(nodes.map((n) => n.id).join('\n'));
          return;
        }
        if (nodes.length === 0) {
          ctx.print('No node matches.');
          return;
        }
        ctx.print(
          renderNodeTable(nodes, {
            palette: ctx.colours,
            now: ctx.now(),
            maxWidth: ctx.io.stdout.columns,
          }),
        );
        if (nodes.length < page.total) {
          ctx.note(
            ctx.errorColours.dim(
              `${nodes.length} of ${page.total} nodes shown (--limit N or --all for more).`,
            ),
          );
        }
      }),
  );
