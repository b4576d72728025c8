import type { CommandRegistration } from '../command-registry.js';
import { renderTable } from '../output/table.js';
import { resolveNodeId } from './node-ids.js';

/** `ketrew query ID [NAME]`: a backend's diagnostics for a node (list them without NAME). */
export const queryCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'query <id> [name]',
    "Run one of the backend's diagnostic queries on a node (without NAME: list them)",
    (y) =>
      y
        .positional('id', {
          type: 'string',
          demandOption: true,
          describe: 'Node id (or a unique prefix)',
        })
        .positional('name', { type: 'string', describe: 'Query name, e.g. stdout, log, ps' }),
    (args) =>
      select(async (ctx) => {
        const id = await resolveNodeId(ctx, args.id);
        const client = ctx.client();
        if (args.name === undefined) {
          const result = await client.queries(id);
          if (ctx.json) ctx.printJson(result);
          else if (result.queries.length === 0)
            ctx.print(`The ${result.backend} backend offers no query for this node.`);
          else {
            ctx.print(
              renderTable(
                [{ header: 'QUERY' }, { header: 'DESCRIPTION', shrinkable: true }],
                result.queries.map((q) => [q.name, q.description]),
                { maxWidth: ctx.io.stdout.columns, header: ctx.colours.bold },
              ),
            );
          }
          return;
        }
        const result = await client.query(id, args.name);
        if (ctx.json) ctx.printJson(result);
        else
          ctx.io.stdout.write(
            result.output.endsWith('\n') || result.output === ''
              ? result.output
              : `${result.output}\n`,
          );
      }),
  );
