import { BackendError, type PollOutcome, type RunState } from '@ketrew/engine';
import { monitoredFilePath } from '../monitored-script/monitored-files.js';
import { doing, transportOf, type DaemonizeContext } from './daemonize-context.js';
import { parseDaemonizeRunState, type DaemonizeRunState } from './daemonize-run-state.js';
import { endedRunStatus } from './ended-run-status.js';
import { readProcessTable } from './process-group.js';
import type { ProcessTable } from './process-table.js';

/**
 * Poll runs in batch: runs are grouped by machine (their host's connection), ONE `ps` per
 * machine tells which scripts still run, and only the logs of the others are read. An error
 * reaching a machine is a recoverable error outcome for its runs only.
 */
export async function pollDaemonizeRuns(
  context: DaemonizeContext,
  runs: readonly RunState[],
): Promise<PollOutcome[]> {
  const outcomes: PollOutcome[] = new Array<PollOutcome>(runs.length);
  const byMachine = new Map<string, { state: DaemonizeRunState; index: number }[]>();
  runs.forEach((run, index) => {
    try {
      const state = parseDaemonizeRunState(run);
      const key = JSON.stringify(state.host.connection);
      byMachine.set(key, [...(byMachine.get(key) ?? []), { state, index }]);
    } catch (error) {
      outcomes[index] = errorOutcome(error);
    }
  });
  await Promise.all(
    [...byMachine.values()].map(async (group) => {
      const first = group[0];
      if (first === undefined) return;
      let table: ProcessTable;
      try {
        const transport = transportOf(context, first.state.host);
        table = await readProcessTable(context, transport).catch(asRecoverable);
      } catch (error) {
        for (const { index } of group) outcomes[index] = errorOutcome(error);
        return;
      }
      await Promise.all(
        group.map(async ({ state, index }) => {
          outcomes[index] = await pollOne(context, table, state).catch(errorOutcome);
        }),
      );
    }),
  );
  return outcomes;
}

async function pollOne(
  context: DaemonizeContext,
  table: ProcessTable,
  state: DaemonizeRunState,
): Promise<PollOutcome> {
  if (table.isLeaderAlive(state.pid)) return { kind: 'running' };
  // The script has exited, so its log is complete.
  const transport = transportOf(context, state.host);
  const log = await doing(`cannot read the log of ${state.playground}`, () =>
    transport.readFile(monitoredFilePath(state.playground, 'log')),
  ).catch(asRecoverable);
  const exists =
    log !== null ||
    (await doing(`cannot look at ${state.playground}`, () =>
      transport.stat(state.playground),
    ).catch(asRecoverable)) !== null;
  return endedRunStatus(log, state.playground, exists);
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
