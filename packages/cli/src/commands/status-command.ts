import type { CommandContext } from '../command-context.js';
import type { CommandRegistration } from '../command-registry.js';
import type { StatusResponse } from '../client/api-types.js';
import { sleep } from '../cli-io.js';
import { CliError } from '../errors.js';
import { LiveBlock } from '../output/live-block.js';
import { formatCounts, formatSeconds, formatTime } from '../output/node-format.js';

/** The original's reassuring sentence, kept word for word. */
export const DOING_WELL = 'The server appears to be doing well.';

/** `ketrew status [--loop]`: is the server up, and how many nodes in each status. */
export const statusCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'status',
    'Show whether the server is up and how many nodes are in each status',
    (y) =>
      y
        .option('loop', {
          alias: 'l',
          type: 'boolean',
          default: false,
          describe: 'Keep showing it (Ctrl-C stops)',
        })
        .option('interval', {
          type: 'number',
          default: 2,
          describe: 'Seconds between two looks with --loop',
        }),
    (args) =>
      select(async (ctx) => {
        if (!args.loop) {
          const status = await ctx.client().status();
          if (ctx.json) ctx.printJson(status);
          else ctx.print(describeStatus(ctx, status));
          return;
        }
        return loop(ctx, Math.max(0.2, args.interval));
      }),
  );

async function loop(ctx: CommandContext, intervalSeconds: number): Promise<number> {
  const block = new LiveBlock(ctx.io.stdout);
  let previous = '';
  for (;;) {
    let text: string;
    try {
      const status = await ctx.client().status();
      text = ctx.json ? JSON.stringify(status) : describeStatus(ctx, status);
    } catch (error) {
      if (!(error instanceof CliError) || error.kind === 'interrupted') throw error;
      if (error.kind !== 'unreachable') throw error;
      text = ctx.json
        ? JSON.stringify({ error: { kind: error.kind, message: error.message } })
        : ctx.colours.red(`${error.message} (retrying every ${intervalSeconds} s)`);
    }
    // Off a terminal, print only changes, each stamped with the time.
    if (ctx.io.stdout.isTTY)
      block.draw(`${text}\n${ctx.colours.dim(`${formatTime(ctx.now())} — Ctrl-C to stop`)}`);
    else if (text !== previous) ctx.print(ctx.json ? text : `${formatTime(ctx.now())}\n${text}`);
    previous = text;
    try {
      await sleep(intervalSeconds * 1000, ctx.io.signal);
    } catch {
      return 0;
    }
  }
}

/** The human answer of `status`. */
export function describeStatus(ctx: CommandContext, status: StatusResponse): string {
  const c = ctx.colours;
  const mode =
    status.mode === 'engine'
      ? 'engine running'
      : c.yellow('API only (another process runs the engine)');
  return [
    c.green(DOING_WELL),
    `  server   ketrew ${status.version}, up ${formatSeconds(status.uptimeSeconds)}, ${mode}${status.readOnly ? c.yellow(', read-only') : ''}`,
    `  nodes    ${formatCounts(status.counts, c)} (${status.total} in all)`,
    `  you      ${status.you.name} (${status.you.scopes.join(', ')})`,
  ].join('\n');
}
