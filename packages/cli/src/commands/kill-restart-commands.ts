import { createInterface } from 'node:readline/promises';
import type { CommandContext } from '../command-context.js';
import type { CommandRegistration } from '../command-registry.js';
import type { CommandResponse } from '../client/api-types.js';
import { CliError } from '../errors.js';
import { resolveNodeIds } from './node-ids.js';

/** `ketrew kill ID… [--recursive] [--interactive]`. */
export const killCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'kill <ids..>',
    'Kill nodes (running jobs are killed through their backend)',
    (y) =>
      y
        .positional('ids', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'Node ids (or unique prefixes)',
        })
        .option('recursive', {
          alias: 'r',
          type: 'boolean',
          default: false,
          describe: 'Also kill the nodes that depend on them',
        })
        .option('interactive', {
          alias: 'i',
          type: 'boolean',
          default: false,
          describe: 'Ask before killing',
        }),
    (args) =>
      select(async (ctx) => {
        const ids = await resolveNodeIds(ctx, args.ids);
        if (
          args.interactive &&
          !(await confirm(
            ctx,
            `Kill ${describeIds(ids)}${args.recursive ? ' and what depends on them' : ''}?`,
          ))
        ) {
          ctx.note('Nothing killed.');
          return 1;
        }
        const response = await ctx.client().kill(ids, { recursive: args.recursive });
        report(ctx, 'Kill', response);
        return 0;
      }),
  );

/** `ketrew restart ID… [--subtree]`. */
export const restartCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'restart <ids..>',
    'Restart finished nodes as a new attempt (history is kept)',
    (y) =>
      y
        .positional('ids', {
          type: 'string',
          array: true,
          demandOption: true,
          describe: 'Node ids (or unique prefixes)',
        })
        .option('subtree', {
          alias: 's',
          type: 'boolean',
          default: false,
          describe: 'Also restart the nodes that failed because of them',
        }),
    (args) =>
      select(async (ctx) => {
        const ids = await resolveNodeIds(ctx, args.ids);
        const response = await ctx.client().restart(ids, { subtree: args.subtree });
        report(ctx, 'Restart', response);
      }),
  );

function report(ctx: CommandContext, what: string, response: CommandResponse): void {
  if (ctx.json) {
    ctx.printJson(response);
    return;
  }
  const via = response.via === 'queue' ? ' (queued for the engine)' : '';
  ctx.print(`${what} requested for ${describeIds(response.ids)}${via}.`);
}

function describeIds(ids: readonly string[]): string {
  return ids.length === 1 ? `node ${ids[0]}` : `${ids.length} nodes: ${ids.join(', ')}`;
}

async function confirm(ctx: CommandContext, question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new CliError('usage', '--interactive needs a terminal to ask on');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `, { signal: ctx.io.signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
