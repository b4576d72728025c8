import { BackendError, type StartContext, type Transport } from '@ketrew/engine';
import {
  MONITORED_FILES,
  monitoredFilePath,
  parsePidFile,
  type MonitoredFile,
} from '../monitored-script/monitored-files.js';
import { renderMonitoredScript } from '../monitored-script/monitored-script.js';
import {
  doing,
  transportOf,
  type DaemonizeContext,
  commandTimeoutMs,
} from './daemonize-context.js';
import { LocalTransport } from '../local-transport.js';
import { daemonizeLauncher, persistentLaunchRequest } from './daemonize-launcher.js';
import { playgroundOf } from './daemonize-playground.js';
import type { HandedJob } from './warm-spares.js';
import type { DaemonizeRunState } from './daemonize-run-state.js';
import { daemonizeSpecOf } from './daemonize-spec.js';
import { killProcessGroup, readProcessTable } from './process-group.js';

/**
 * Start a node's job: fresh playground, script, detached launch, then wait (up to the spec's
 * `startingTimeout` seconds) for the script's pid. See docs/daemonize.md.
 */
export async function startDaemonizeJob(
  context: DaemonizeContext,
  ctx: StartContext,
): Promise<DaemonizeRunState> {
  const spec = daemonizeSpecOf(ctx.node.make);
  const transport = transportOf(context, spec.host);
  const playground = playgroundOf(spec.host, ctx.nodeId, ctx.attempt, context.defaultPlayground);
  const at = { playground };
  const local = spec.host.connection.kind === 'localhost';
  const [notifyDirectory] = await Promise.all([
    local ? context.notifier?.directory() : undefined,
    prepareFreshPlayground(context, transport, playground),
  ]);
  const script = renderMonitoredScript({
    program: spec.program,
    playground,
    jobName: ctx.jobName,
    notifyFile:
      notifyDirectory === null || notifyDirectory === undefined
        ? undefined
        : (context.notifier?.fileFor(ctx.jobName) ?? undefined),
  });
  await doing(
    `cannot write the script in ${playground}`,
    () => transport.writeFile(monitoredFilePath(playground, 'script'), script, { mode: 0o755 }),
    at,
  );
  const timeoutMs = commandTimeoutMs(context, transport.host);
  const launcher =
    local && spec.using === 'nohup-setsid' ? context.launchers?.for(transport, timeoutMs) : null;
  let handed: HandedJob | null = null;
  if (launcher !== null && launcher !== undefined) {
    handed = (await launcher.spares?.hand(playground)) ?? null;
    if (handed === null) {
      await doing(
        `cannot launch the job in ${playground}`,
        () => launcher.shell.ask((tag) => persistentLaunchRequest(tag, playground)),
        at,
      );
    }
  } else {
    const launched = await doing(
      `cannot launch the job in ${playground}`,
      () => transport.run({ shell: daemonizeLauncher(playground, spec.using) }, { timeoutMs }),
      at,
    );
    if (launched.exitCode !== 0) {
      throw new BackendError(
        `daemonize: the ${spec.using} launcher failed in ${playground} ` +
          `(exit ${String(launched.exitCode ?? launched.signal)}): ${launched.stderr.trim()}`,
        { recoverable: false, details: at },
      );
    }
  }
  const pid = await waitForPid(context, transport, playground, spec.startingTimeout * 1000);
  handed?.started();
  return {
    backend: 'daemonize',
    version: 1,
    host: spec.host,
    playground,
    pid,
    jobName: ctx.jobName,
    startedAt: context.now(),
    using: spec.using,
  };
}

/**
 * Make the playground exist and hold nothing of an earlier start (a crash between the start
 * intent and the launch leaves one). Refuses to touch a playground whose job still runs.
 */
async function prepareFreshPlayground(
  context: DaemonizeContext,
  transport: Transport,
  playground: string,
): Promise<void> {
  const at = { playground };
  const parent = playground.slice(0, playground.lastIndexOf('/')) || '/';
  if (transport instanceof LocalTransport) {
    // No stat first: the node's directory, then the playground, one `mkdir` each (callbacks).
    const made = await doing(
      `cannot create the playground ${playground}`,
      async () => {
        await transport.makeNewDirectory(parent);
        return transport.makeNewDirectory(playground);
      },
      at,
    );
    if (made === 'created') return;
  }
  const existing = await doing(
    `cannot look at ${playground}`,
    () => transport.stat(playground),
    at,
  );
  if (existing === null) {
    // The node's directory first: a first attempt's playground then takes one `mkdir`, where
    // `mkdir -p` of the playground would first fail on the missing parent.
    await doing(
      `cannot create the playground ${playground}`,
      async () => {
        await transport.mkdir(parent);
        await transport.mkdir(playground);
      },
      at,
    );
    return;
  }
  if (existing.kind !== 'directory') {
    throw new BackendError(
      `daemonize: the playground ${playground} exists and is not a directory`,
      {
        recoverable: false,
        details: at,
      },
    );
  }
  const pid = parsePidFile(await transport.readFile(monitoredFilePath(playground, 'pid')));
  if (pid !== null && (await readProcessTable(context, transport)).isLeaderAlive(pid)) {
    throw new BackendError(
      `daemonize: a job (pid ${pid}) is still running in the playground ${playground}`,
      { recoverable: false, details: { ...at, pid } },
    );
  }
  const files = (Object.keys(MONITORED_FILES) as MonitoredFile[]).map((file) =>
    monitoredFilePath(playground, file),
  );
  const removed = await doing(`cannot clean the playground ${playground}`, () =>
    transport.run(
      { argv: ['rm', '-f', '--', ...files] },
      { timeoutMs: commandTimeoutMs(context, transport.host) },
    ),
  );
  if (removed.exitCode !== 0) {
    throw new BackendError(
      `daemonize: cannot clean the playground ${playground}: ${removed.stderr.trim()}`,
      { recoverable: false, details: at },
    );
  }
}

/**
 * Wait for the pid file. Past the deadline, mark the playground `abandoned` (a script that
 * starts later exits at once), kill a job that appeared in between, and fail the start.
 */
async function waitForPid(
  context: DaemonizeContext,
  transport: Transport,
  playground: string,
  timeoutMs: number,
): Promise<number> {
  const pidFile = monitoredFilePath(playground, 'pid');
  const readPid = async (): Promise<number | null> =>
    parsePidFile(await doing(`cannot read ${pidFile}`, () => transport.readFile(pidFile)));
  const launchedAt = context.now();
  const deadline = launchedAt + timeoutMs;
  const machine =
    transport.host.connection.kind === 'localhost' ? 'localhost' : transport.host.name;
  // A script writes its pid a few milliseconds after its launch (bash has to start, and be
  // scheduled): look first after about the usual time on this machine (2 ms at least, see
  // `PidWaits`), then after 2, 3, 5, 8, … ms (half as long again each time, at most 100): one or
  // two reads for most starts, even on a loaded machine, instead of one every 2 ms.
  let delay = context.pidWaits.firstLook(machine);
  for (let next = 2; context.now() < deadline; next = Math.min(Math.ceil(next * 1.5), 100)) {
    await context.sleep(Math.min(delay, Math.max(1, deadline - context.now())));
    const pid = await readPid();
    if (pid !== null) {
      context.pidWaits.observe(machine, context.now() - launchedAt);
      return pid;
    }
    delay = next;
  }
  await transport.writeFile(monitoredFilePath(playground, 'abandoned'), '').catch(() => undefined);
  const late = await readPid();
  if (late !== null) await killProcessGroup(context, transport, late).catch(() => undefined);
  const stderr = await transport
    .readFile(monitoredFilePath(playground, 'stderr'), { offset: 0, length: 2000 })
    .catch(() => null);
  throw new BackendError(
    `daemonize: the job wrote no pid in ${playground} within ${timeoutMs / 1000} s` +
      (stderr === null || stderr.trim() === '' ? '' : `; its stderr says: ${stderr.trim()}`),
    { recoverable: false, details: { playground, reason: 'start-failed' } },
  );
}
