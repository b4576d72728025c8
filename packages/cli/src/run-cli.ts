import yargs, { type Argv } from 'yargs';
import type { CliIo } from './cli-io.js';
import { CommandContext, type CliServices, type GlobalArgs } from './command-context.js';
import type { CommandRun } from './command-registry.js';
import { COMMANDS } from './commands/all-commands.js';
import { CliError, EXIT_CODES } from './errors.js';
import { colourEnabled, createPalette } from './output/palette.js';
import { CLI_VERSION } from './version.js';

/** Build the yargs parser of `ketrew` (exposed for tests of argument parsing). */
export function createParser(select: (run: CommandRun) => void): Argv<GlobalArgs> {
  let cli = yargs()
    .scriptName('ketrew')
    .usage('$0 <command> [options]\n\nKeep track of experimental workflows.')
    .option('configuration-file', {
      alias: 'C',
      type: 'string',
      describe:
        'Configuration file (default: $KETREW_CONFIGURATION, $KETREW_CONFIG, $KETREW_ROOT/configuration.json)',
      global: true,
    })
    .option('profile', {
      alias: ['P', 'configuration-profile'],
      type: 'string',
      describe: 'Profile of the configuration (default: $KETREW_PROFILE, then "default")',
      global: true,
    })
    .option('url', {
      type: 'string',
      describe: 'Server URL, overriding the profile ($KETREW_URL)',
      global: true,
    })
    .option('token', {
      type: 'string',
      describe: 'API token, overriding the profile ($KETREW_TOKEN)',
      global: true,
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Machine-readable output',
      global: true,
    })
    .option('debug', {
      type: 'boolean',
      default: false,
      describe: 'Show stack traces of errors',
      global: true,
    })
    .strict()
    .demandCommand(1, 'Choose a command (ketrew --help lists them).')
    .recommendCommands()
    .version(CLI_VERSION)
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .epilogue(
      'Exit codes: 0 ok, 1 failure, 2 usage, 3 server unreachable, 4 refused, 5 not found, 6 configuration, 7 invalid workflow, 130 interrupted.\nDocumentation: docs/cli.md',
    )
    .exitProcess(false)
    .fail((message, error) => {
      // Everything failing here is about the arguments (parsing, choices, .check()).
      if (error instanceof CliError) throw error;
      throw new CliError('usage', message ?? error?.message ?? 'invalid arguments');
    }) as unknown as Argv<GlobalArgs>;
  for (const register of COMMANDS) cli = register(cli, select);
  return cli;
}

/**
 * Run `ketrew` with these arguments (without `node` and the script) and return the exit code.
 * Errors are printed as one line on stderr (`--debug` adds the stack), never thrown.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo());
 * ```
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  services: CliServices = {},
): Promise<number> {
  let run: CommandRun | undefined;
  let help = '';
  let context: CommandContext | undefined;
  const debug = argv.includes('--debug');
  try {
    const parsed = (await createParser((r) => {
      run = r;
    }).parseAsync([...argv], {}, (_error, _argv, output) => {
      help = output;
    })) as unknown as GlobalArgs & Record<string, unknown>;
    if (run === undefined) {
      if (help !== '') io.stdout.write(help.endsWith('\n') ? help : `${help}\n`);
      return EXIT_CODES.ok;
    }
    context = new CommandContext(io, globalArgs(parsed), services);
    const code = await run(context);
    return code ?? EXIT_CODES.ok;
  } catch (error) {
    context?.progress.clear();
    return report(error, io, debug, argv);
  } finally {
    context?.dispose();
  }
}

function report(error: unknown, io: CliIo, debug: boolean, argv: readonly string[]): number {
  const colours = createPalette(colourEnabled({ isTTY: io.stderr.isTTY, env: io.env }));
  const cliError =
    error instanceof CliError
      ? error
      : isAbort(error)
        ? new CliError('interrupted', 'interrupted')
        : new CliError('failure', error instanceof Error ? error.message : String(error), {
            cause: error,
          });
  if (cliError.kind === 'interrupted') {
    io.stderr.write('\n');
    return cliError.exitCode;
  }
  io.stderr.write(`${colours.red(colours.bold('error:'))} ${cliError.message}\n`);
  const hint =
    cliError.hint ??
    (cliError.kind === 'usage'
      ? `Run \`ketrew ${argv.find((a) => !a.startsWith('-')) ?? ''} --help\`.`.replace('  ', ' ')
      : undefined);
  if (hint !== undefined) io.stderr.write(`${colours.dim(`hint: ${hint}`)}\n`);
  if (debug) {
    const original = cliError.cause instanceof Error ? cliError.cause : cliError;
    io.stderr.write(`${original.stack ?? ''}\n`);
  }
  return cliError.exitCode;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.message === 'interrupted');
}

function globalArgs(parsed: GlobalArgs & Record<string, unknown>): GlobalArgs {
  const text = (key: string): string | undefined =>
    typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined;
  return {
    configurationFile: text('configurationFile'),
    profile: text('profile'),
    url: text('url'),
    token: text('token'),
    json: parsed.json === true,
    debug: parsed.debug === true,
  };
}
