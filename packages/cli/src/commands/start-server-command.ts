import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Engine, EngineEvent } from '@ketrew/engine';
import type { CommandContext } from '../command-context.js';
import type { CommandRegistration } from '../command-registry.js';
import { sleep } from '../cli-io.js';
import type { ServerConfiguration } from '../configuration/configuration-schema.js';
import { describeDatabase, parseDatabaseUri } from '../configuration/database-uri.js';
import { CliError } from '../errors.js';
import { formatTime } from '../output/node-format.js';
import { spinnerFrame } from '../output/progress-line.js';
import {
  isProcessAlive,
  readPidFile,
  removePidFile,
  runningServerPid,
  writePidFile,
} from '../server/server-process.js';

/** How long `start-server --daemonize` waits for the detached server to listen. */
const DAEMON_START_TIMEOUT_MS = 60_000;

/** `ketrew start-server [--daemonize]`: the HTTP server and the engine, in one process. */
export const startServerCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'start-server',
    'Start the server and its engine (in the foreground, or detached with --daemonize)',
    (y) =>
      y.option('daemonize', {
        alias: 'D',
        type: 'boolean',
        default: false,
        describe: 'Run in the background (pid file and log file under $KETREW_ROOT)',
      }),
    (args) =>
      select(async (ctx) => {
        const server = serverPart(ctx);
        const running = runningServerPid(server.pidFile);
        if (running !== null) {
          throw new CliError(
            'failure',
            `a server is already running (pid ${running}, pid file ${server.pidFile})`,
            {
              hint: 'Stop it with `ketrew stop-server`.',
            },
          );
        }
        return args.daemonize ? startDetached(ctx, server) : runInForeground(ctx, server);
      }),
  );

/** The profile's server part, or a configuration error saying how to get one. */
export function serverPart(ctx: CommandContext): ServerConfiguration {
  const profile = ctx.profile();
  if (profile.server === null) {
    throw new CliError(
      'configuration',
      profile.fileExists
        ? `profile "${profile.name}" of ${profile.location.path} has no server part`
        : `there is no configuration at ${profile.location.path}`,
      { hint: 'Run `ketrew init` first (or choose a server profile with -P).' },
    );
  }
  return profile.server;
}

async function runInForeground(ctx: CommandContext, config: ServerConfiguration): Promise<number> {
  const log = (line: string): void => ctx.print(`${formatTime(ctx.now())}  ${line}`);
  // Loaded here so that other commands do not pay for the engine, stores and HTTP server.
  const { composeServer } = await import('../server/compose-server.js');
  const composed = await composeServer(config, {
    configurationDirectory: dirname(ctx.profile().location.path),
  });
  let running;
  try {
    running = await composed.server.listen();
  } catch (error) {
    await composed.release();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new CliError(
        'failure',
        `${config.listen.host}:${config.listen.port} is already in use`,
        {
          hint: 'Another server runs there; change server.listen.port or stop it.',
        },
      );
    }
    throw error;
  }
  writePidFile(config.pidFile, process.pid);
  const failed = new AbortController();
  const unsubscribes: (() => void)[] = [];
  const follow = (engine: Engine): void => {
    unsubscribes.push(
      engine.events.subscribe((event) => {
        const line = describeEngineEvent(event);
        if (line !== null) log(line);
        if (event.kind === 'engine-failed') failed.abort();
      }),
    );
  };
  let engine = composed.engine;
  if (engine !== null) follow(engine);
  composed.onPromoted((promoted) => {
    log('The engine lock is free again: this server now runs the engine.');
    engine = promoted;
    follow(promoted);
  });
  // Losing the engine lock means another server may drive the engine from now on: stop ours at
  // once (two engines on one database would start jobs twice), then stop and exit non-zero so
  // that a supervisor restarts this server, as the leader again or API-only.
  composed.onEngineLockLost((error) => {
    log(`error: ${error.message}`);
    log('error: stopping the engine and this server (exit code 1); running jobs keep running.');
    failed.abort();
    void engine?.stop().catch(() => undefined);
  });
  log(`Ketrew server listening on ${running.url} (pid ${process.pid})`);
  if (composed.engine === null) {
    log(
      'API only: another process runs the engine on this database; this one takes over if it stops.',
    );
  }
  log(
    `database: ${describeDatabase(parseDatabaseUri(config.database, { base: '/' }))}; backends: ${composed.backends.map((b) => b.name).join(', ') || 'none'}`,
  );
  log('Stop it with Ctrl-C or `ketrew stop-server`.');
  await new Promise<void>((resolve) => {
    if (ctx.io.signal.aborted) resolve();
    ctx.io.signal.addEventListener('abort', () => resolve(), { once: true });
    failed.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  log('Stopping: finishing requests; running jobs keep running.');
  for (const unsubscribe of unsubscribes) unsubscribe();
  try {
    await running.close();
  } finally {
    await composed.release();
    removePidFile(config.pidFile, process.pid);
  }
  log('Stopped.');
  return failed.signal.aborted ? 1 : 0;
}

function describeEngineEvent(event: EngineEvent): string | null {
  switch (event.kind) {
    case 'workflow-submitted':
      return `workflow ${event.workflowId} submitted (${event.nodeIds.length} node${event.nodeIds.length === 1 ? '' : 's'})`;
    case 'notification':
      return `${event.level}: ${event.nodeId}: ${event.message}`;
    case 'engine-failed':
      return `error: the engine stopped: ${event.message}`;
    case 'nodes-changed':
      return null;
    default:
      return unreachable(event);
  }
}

/** Start `ketrew start-server` detached, wait until it wrote its pid file (it listens then). */
async function startDetached(ctx: CommandContext, config: ServerConfiguration): Promise<number> {
  const script = ctx.io.scriptPath;
  if (script === undefined)
    throw new CliError('failure', 'cannot daemonize: the path of the ketrew script is unknown');
  const profile = ctx.profile();
  mkdirSync(dirname(config.logFile), { recursive: true });
  const logFd = openSync(config.logFile, 'a');
  const started = Date.now();
  const logStart = safeSize(config.logFile);
  const child = spawn(
    process.execPath,
    [...process.execArgv, script, 'start-server', '-C', profile.location.path, '-P', profile.name],
    {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      cwd: ctx.io.cwd,
      env: { ...ctx.io.env, NO_COLOR: '1' },
    },
  );
  closeSync(logFd);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? 1;
  });
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new CliError('failure', 'could not start the server process');
  for (let tick = 0; ; tick++) {
    if (readPidFile(config.pidFile) === pid && isProcessAlive(pid)) break;
    if (exited !== null || !isProcessAlive(pid)) {
      ctx.progress.clear();
      const tail = logTail(config.logFile, logStart);
      throw new CliError(
        'failure',
        `the server stopped at once (exit code ${exited ?? 'unknown'})${tail === '' ? '' : `:\n${tail}`}`,
        {
          hint: `Its log: ${config.logFile}`,
        },
      );
    }
    if (Date.now() - started > DAEMON_START_TIMEOUT_MS) {
      throw new CliError(
        'failure',
        `the server (pid ${pid}) did not start listening within ${DAEMON_START_TIMEOUT_MS / 1000} s`,
        {
          hint: `Its log: ${config.logFile}`,
        },
      );
    }
    ctx.progress.update(`${spinnerFrame(tick)} starting the server (pid ${pid})…`);
    await sleep(100, ctx.io.signal);
  }
  ctx.progress.clear();
  if (ctx.json) {
    ctx.printJson({
      pid,
      url: profile.client.url,
      logFile: config.logFile,
      pidFile: config.pidFile,
    });
  } else {
    ctx.print(
      `Server started in the background (pid ${pid}), listening on ${config.listen.host}:${config.listen.port}.`,
    );
    ctx.print(`Log: ${config.logFile}. Stop it with ${ctx.colours.cyan('ketrew stop-server')}.`);
  }
  return 0;
}

function safeSize(path: string): number {
  try {
    return readFileSync(path).length;
  } catch {
    return 0;
  }
}

/** The last lines this start wrote to the log. */
function logTail(path: string, from: number): string {
  try {
    const text = readFileSync(path).subarray(from).toString('utf8').trimEnd();
    return text
      .split('\n')
      .slice(-15)
      .map((line) => `  ${line}`)
      .join('\n');
  } catch {
    return '';
  }
}

function unreachable(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
