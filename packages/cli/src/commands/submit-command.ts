import type { CommandContext } from '../command-context.js';
import type { CommandRegistration } from '../command-registry.js';
import type { SubmitResponse } from '../client/api-types.js';
import { sleep } from '../cli-io.js';
import { CliError } from '../errors.js';
import { colourStatus, describeState, formatCounts, formatSeconds } from '../output/node-format.js';
import { spinnerFrame } from '../output/progress-line.js';
import {
  loadSubmission,
  submissionTree,
  type Submission,
  type SubmissionSource,
} from '../workflow/load-submission.js';

/**
 * `ketrew submit [--wet-run] [--tag T]… (--daemonize HOST,CMD | FILE)`: without `--wet-run`, a
 * dry run that prints the workflow tree; with it, the workflow is sent to the server.
 */
export const submitCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'submit [file]',
    'Submit a workflow: a .ts/.js module whose default export is a node, a .json spec, or --daemonize',
    (y) =>
      y
        .positional('file', { type: 'string', describe: 'Workflow file (.ts, .js, .json)' })
        .option('daemonize', {
          alias: 'd',
          type: 'string',
          describe: 'One node running CMD detached on HOST, e.g. /tmp/KT,"du -sh $HOME"',
        })
        .option('wet-run', {
          alias: 'w',
          type: 'boolean',
          default: false,
          describe: 'Really submit (default: dry run)',
        })
        .option('tag', {
          alias: 't',
          type: 'string',
          array: true,
          nargs: 1,
          default: [] as string[],
          describe: 'Add a tag to every node (repeatable)',
        })
        .option('wait', {
          type: 'boolean',
          default: false,
          describe: 'With --wet-run, wait until the root node finishes',
        })
        .conflicts('file', 'daemonize')
        .check((args) => {
          if (args.file === undefined && args.daemonize === undefined) {
            throw new Error('Give a workflow FILE or --daemonize HOST,CMD.');
          }
          if (args.wait && !args.wetRun) throw new Error('--wait needs --wet-run.');
          return true;
        }),
    (args) =>
      select(async (ctx) => {
        const source: SubmissionSource =
          args.daemonize !== undefined
            ? { kind: 'daemonize', option: args.daemonize }
            : { kind: 'file', path: args.file ?? '' };
        const submission = await loadSubmission(source, { tags: args.tag, cwd: ctx.io.cwd });
        const spec = submission.spec;
        if (!args.wetRun) return dryRun(ctx, submission);
        const response = await ctx.client().submit(spec);
        if (ctx.json && !args.wait) {
          ctx.printJson(response);
          return 0;
        }
        if (!ctx.json) reportSubmitted(ctx, response);
        return args.wait ? waitForRoot(ctx, response) : 0;
      }),
  );

function dryRun(ctx: CommandContext, submission: Submission): number {
  const spec = submission.spec;
  if (ctx.json) {
    ctx.printJson(spec);
    return 0;
  }
  ctx.print(submissionTree(submission, ctx.colours));
  const count = `${spec.nodes.length} node${spec.nodes.length === 1 ? '' : 's'}`;
  ctx.note(
    ctx.errorColours.yellow(`Dry run: nothing submitted (${count}). Add --wet-run (-w) to submit.`),
  );
  return 0;
}

function reportSubmitted(ctx: CommandContext, response: SubmitResponse): void {
  const c = ctx.colours;
  const count = `${response.nodeIds.length} node${response.nodeIds.length === 1 ? '' : 's'}`;
  const merged = Object.keys(response.merged ?? {}).length;
  ctx.print(
    `Submitted workflow ${c.bold(response.workflowId)}: ${count}${merged > 0 ? ` (${merged} merged into equivalent nodes)` : ''}, root ${c.bold(response.rootId)}.`,
  );
  ctx.note(
    ctx.errorColours.dim(
      `Follow it with: ketrew show ${response.rootId}   ketrew logs ${response.rootId} --follow`,
    ),
  );
}

/** Poll until the root node finishes; exit 0 when it succeeded, 1 when it failed. */
async function waitForRoot(ctx: CommandContext, response: SubmitResponse): Promise<number> {
  const client = ctx.client();
  const started = ctx.now();
  for (let tick = 0; ; tick++) {
    const [{ node }, counts] = await Promise.all([
      client.node(response.rootId),
      client.countNodes({ workflow: response.workflowId }),
    ]);
    if (node.state.kind === 'finished') {
      ctx.progress.clear();
      if (ctx.json) ctx.printJson({ ...response, root: node });
      else {
        ctx.print(
          `Root ${node.id} finished: ${colourStatus(node.simpleStatus, ctx.colours)} (${describeState(node.state)}).`,
        );
      }
      return node.simpleStatus === 'successful' ? 0 : 1;
    }
    const elapsed = formatSeconds((ctx.now() - started) / 1000);
    ctx.progress.update(
      `${spinnerFrame(tick)} ${elapsed}  root: ${describeState(node.state)}  —  ${formatCounts(counts.counts, ctx.errorColours)}`,
    );
    try {
      await sleep(1000, ctx.io.signal);
    } catch {
      ctx.progress.clear();
      throw new CliError('interrupted', 'interrupted');
    }
  }
}
