import { BackendError, type PollOutcome, type PollStatus, type RunState } from '@ketrew/engine';
import { monitoredFilePath } from '../monitored-script/monitored-files.js';
import { doing, transportOf, type DaemonizeContext } from './daemonize-context.js';
import { parseDaemonizeRunState, type DaemonizeRunState } from './daemonize-run-state.js';
import { endedRunStatus, terminalRunStatus } from './ended-run-status.js';
import { readProcessTable } from './process-group.js';

interface Polled {
  readonly state: DaemonizeRunState;
  readonly index: number;
  /** Machine and playground: the run's identity in `context.endedRuns`. */
  readonly key: string;
}

/**
 * Poll runs in batch, grouped by machine (their host's connection). The policy
 * (docs/daemonize.md#polling):
 *
 * - **localhost**: logs first, no process: a run whose log ends with `success`, `failure` or
 *   `killed` is over. Which logs are read: the runs whose job announced its end in the notify
 *   directory (all of them when that is unavailable), and every run at a liveness check.
 * - **liveness check**: at most once per `livenessCheckIntervalMs` per machine, ONE `ps` tells
 *   which of the other runs still have their script; a run without it is over (the log is then
 *   complete: `lost` when it has no end record). Remote machines are only polled this way.
 * - between two liveness checks, a run not known to be over is `running`; one seen over by an
 *   earlier poll of this backend has its log read again.
 *
 * An error reaching a machine is a recoverable error outcome for its runs only.
 */
export async function pollDaemonizeRuns(
  context: DaemonizeContext,
  runs: readonly RunState[],
): Promise<PollOutcome[]> {
  const outcomes: PollOutcome[] = new Array<PollOutcome>(runs.length);
  const byMachine = new Map<string, Polled[]>();
  runs.forEach((run, index) => {
    try {
      const state = parseDaemonizeRunState(run);
      const machine = JSON.stringify(state.host.connection);
      let group = byMachine.get(machine);
      if (group === undefined) byMachine.set(machine, (group = []));
      group.push({ state, index, key: `${machine}\n${state.playground}` });
    } catch (error) {
      outcomes[index] = errorOutcome(error);
    }
  });
  await Promise.all(
    [...byMachine].map(async ([key, group]) => {
      const checkLiveness = livenessCheckDue(context, key);
      const local = group[0]?.state.host.connection.kind === 'localhost';
      const polled = local
        ? await pollLocal(context, group, checkLiveness)
        : await pollByProcessTable(context, group, checkLiveness);
      for (const [index, outcome] of polled) outcomes[index] = outcome;
    }),
  );
  return outcomes;
}

/** Whether this poll runs `ps` on the machine `key`; if so, it counts as done now. */
function livenessCheckDue(context: DaemonizeContext, key: string): boolean {
  const now = context.now();
  const last = context.livenessChecks.get(key);
  if (last !== undefined && now - last < context.livenessCheckIntervalMs && now >= last) {
    return false;
  }
  context.livenessChecks.set(key, now);
  return true;
}

async function pollLocal(
  context: DaemonizeContext,
  group: readonly Polled[],
  checkLiveness: boolean,
): Promise<Map<number, PollOutcome>> {
  const outcomes = new Map<number, PollOutcome>();
  const announced = checkLiveness ? null : ((await context.notifier?.ended()) ?? null);
  const unsettled: Polled[] = [];
  await pollEach(group, outcomes, async (run) => {
    const news = announced === null || announced.has(run.state.jobName);
    if (!news && !context.endedRuns.has(run.key)) return RUNNING;
    const ended = terminalRunStatus(await readLog(context, run.state));
    if (ended !== null) {
      seenEnded(context, run);
      return ended;
    }
    if (!checkLiveness) return RUNNING;
    unsettled.push(run);
    return undefined;
  });
  for (const [index, outcome] of await pollByProcessTable(context, unsettled, true)) {
    outcomes.set(index, outcome);
  }
  return outcomes;
}

/** One `ps` for the group (when `checkLiveness`); the logs of the runs whose script is gone. */
async function pollByProcessTable(
  context: DaemonizeContext,
  group: readonly Polled[],
  checkLiveness: boolean,
): Promise<Map<number, PollOutcome>> {
  const outcomes = new Map<number, PollOutcome>();
  const first = group[0];
  if (first === undefined) return outcomes;
  if (!checkLiveness) {
    await pollEach(group, outcomes, (run) =>
      context.endedRuns.has(run.key) ? endedRun(context, run.state) : Promise.resolve(RUNNING),
    );
    return outcomes;
  }
  let alive: (pid: number) => boolean;
  try {
    const table = await readProcessTable(context, transportOf(context, first.state.host)).catch(
      asRecoverable,
    );
    alive = (pid) => table.isLeaderAlive(pid);
  } catch (error) {
    for (const { index } of group) outcomes.set(index, errorOutcome(error));
    return outcomes;
  }
  await pollEach(group, outcomes, async (run) => {
    if (alive(run.state.pid)) return RUNNING;
    const outcome = await endedRun(context, run.state);
    seenEnded(context, run);
    return outcome;
  });
  return outcomes;
}

const RUNNING: PollOutcome = { kind: 'running' };

/**
 * `poll` every run of `group` at once, into `outcomes` by index: an error thrown is the run's
 * error outcome; `undefined` leaves the run's outcome unset.
 */
async function pollEach(
  group: readonly Polled[],
  outcomes: Map<number, PollOutcome>,
  poll: (run: Polled) => Promise<PollOutcome | undefined>,
): Promise<void> {
  await Promise.all(
    group.map(async (run) => {
      try {
        const outcome = await poll(run);
        if (outcome !== undefined) outcomes.set(run.index, outcome);
      } catch (error) {
        outcomes.set(run.index, errorOutcome(error));
      }
    }),
  );
}

/**
 * Remember that the run is over, and remove its notify file (its news is known). The removal is
 * not awaited: the notifier forgets the news at once, and the poll's answer need not wait for
 * the file system.
 */
function seenEnded(context: DaemonizeContext, run: Polled): void {
  if (context.endedRuns.has(run.key)) return;
  context.endedRuns.add(run.key);
  void context.notifier?.consume(run.state.jobName);
}

/** The outcome of a run whose script has exited, so whose log is complete. */
async function endedRun(context: DaemonizeContext, state: DaemonizeRunState): Promise<PollStatus> {
  const log = await readLog(context, state);
  const exists =
    log !== null ||
    (await doing(`cannot look at ${state.playground}`, () =>
      transportOf(context, state.host).stat(state.playground),
    ).catch(asRecoverable)) !== null;
  return endedRunStatus(log, state.playground, exists);
}

function readLog(context: DaemonizeContext, state: DaemonizeRunState): Promise<string | null> {
  return doing(`cannot read the log of ${state.playground}`, () =>
    transportOf(context, state.host).readFile(monitoredFilePath(state.playground, 'log')),
  ).catch(asRecoverable);
}

/**
 * While polling, a failure to use a host (ps, reading a log) is recoverable whatever its kind:
 * the job itself is unaffected, and the engine gives up after its limit of errors in a row.
 */
function asRecoverable(error: unknown): never {
  if (error instanceof BackendError && !error.recoverable) {
    throw new BackendError(error.message, { recoverable: true, cause: error.cause });
  }
  throw error;
}

function errorOutcome(error: unknown): PollOutcome {
  const recoverable =
    typeof error === 'object' && error !== null && 'recoverable' in error
      ? error.recoverable === true
      : false;
  return {
    kind: 'error',
    recoverable,
    message: error instanceof Error ? error.message : String(error),
  };
}
