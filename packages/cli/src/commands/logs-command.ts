import type { CommandRegistration } from '../command-registry.js';
import type { LogStreamName } from '../client/api-types.js';
import { sleep } from '../cli-io.js';
import type { CommandContext } from '../command-context.js';
import { CliError } from '../errors.js';
import { spinnerFrame } from '../output/progress-line.js';
import { resolveNodeId } from './node-ids.js';

/** `ketrew logs ID [--stderr] [--follow]`: a node's output, as the backend keeps it. */
export const logsCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'logs <id>',
    "Print a node's standard output (or --stderr, --stream log|script); --follow keeps printing",
    (y) =>
      y
        .positional('id', {
          type: 'string',
          demandOption: true,
          describe: 'Node id (or a unique prefix)',
        })
        .option('stderr', {
          type: 'boolean',
          default: false,
          describe: 'Standard error instead of output',
        })
        .option('stream', {
          type: 'string',
          choices: ['stdout', 'stderr', 'log', 'script'] as const,
          describe: "Which file: stdout, stderr, log (the monitored script's log) or script",
        })
        .option('follow', {
          alias: 'F',
          type: 'boolean',
          default: false,
          describe: 'Keep printing new output until the node ends',
        })
        .option('offset', { type: 'number', default: 0, describe: 'Start at this byte' })
        .option('interval', {
          type: 'number',
          default: 1,
          describe: 'Seconds between two looks with --follow',
        })
        .conflicts('stderr', 'stream'),
    (args) =>
      select(async (ctx) => {
        const stream: LogStreamName = args.stream ?? (args.stderr ? 'stderr' : 'stdout');
        const id = await resolveNodeId(ctx, args.id);
        const client = ctx.client();
        let offset = Math.max(0, Math.floor(args.offset));
        for (let tick = 0; ; tick++) {
          let chunk;
          try {
            chunk = await client.logs(id, { stream, offset });
          } catch (error) {
            // Following a node whose job has not started yet: wait for it.
            const noRun = error instanceof CliError && error.serverCode === 'no-run';
            if (!args.follow || !noRun || (await client.node(id)).node.state.kind === 'finished') {
              throw error;
            }
            ctx.progress.update(`${spinnerFrame(tick)} waiting for the job of ${id} to start…`);
            if (!(await pause(ctx, args.interval))) return;
            continue;
          }
          ctx.progress.clear();
          if (ctx.json) {
            if (!args.follow || chunk.content !== '')
              ctx.io.stdout.write(`${JSON.stringify(chunk)}\n`);
          } else if (chunk.content !== '') {
            ctx.io.stdout.write(chunk.content);
          }
          offset = chunk.nextOffset;
          if (!args.follow) return;
          // Read once more after the node finished, then stop: nothing more will be written.
          const { node } = await client.node(id);
          if (node.state.kind === 'finished' && chunk.content === '') return;
          if (node.state.kind !== 'finished' && !(await pause(ctx, args.interval))) return;
        }
      }),
  );

/** Wait between two looks; `false` when Ctrl-C ended the wait. */
async function pause(ctx: CommandContext, seconds: number): Promise<boolean> {
  try {
    await sleep(Math.max(0.1, seconds) * 1000, ctx.io.signal);
    return true;
  } catch {
    return false;
  }
}
