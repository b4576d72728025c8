import { BackendError, type Transport } from '@ketrew/engine';
import { doing, type DaemonizeContext, commandTimeoutMs } from './daemonize-context.js';
import { PROCESS_TABLE_ARGV, ProcessTable } from './process-table.js';

/** Run `ps` once on the transport's host; a failed `ps` is a recoverable error. */
export async function readProcessTable(
  context: DaemonizeContext,
  transport: Transport,
): Promise<ProcessTable> {
  const result = await doing(`cannot list the processes of ${transport.host.name}`, () =>
    transport.run(
      { argv: PROCESS_TABLE_ARGV },
      { timeoutMs: commandTimeoutMs(context, transport.host) },
    ),
  );
  if (result.exitCode !== 0) {
    throw new BackendError(
      `daemonize: ps failed on ${transport.host.name} (exit ${String(result.exitCode)}): ${result.stderr.trim()}`,
      { recoverable: true },
    );
  }
  return new ProcessTable(result.stdout);
}

/**
 * Kill a process group and everything in it: SIGTERM (the monitored script logs `killed TERM`),
 * then SIGKILL to whatever is left after the grace period. A group that is already gone is
 * fine. Throws a recoverable error if live processes remain even after SIGKILL.
 */
export async function killProcessGroup(
  context: DaemonizeContext,
  transport: Transport,
  pgid: number,
): Promise<void> {
  if (!Number.isInteger(pgid) || pgid < 2) throw new Error(`refusing to signal group ${pgid}`);
  await signalGroup(context, transport, 'TERM', pgid);
  if (await groupGoneWithin(context, transport, pgid, context.killGracePeriodMs)) return;
  await signalGroup(context, transport, 'KILL', pgid);
  if (await groupGoneWithin(context, transport, pgid, 10_000)) return;
  throw new BackendError(
    `daemonize: processes of group ${pgid} on ${transport.host.name} survive SIGKILL`,
    { recoverable: true },
  );
}

async function signalGroup(
  context: DaemonizeContext,
  transport: Transport,
  signal: 'TERM' | 'KILL',
  pgid: number,
): Promise<void> {
  // A non-zero exit means "no such process group": nothing to kill, which is fine.
  await doing(`cannot send SIG${signal} to group ${pgid}`, () =>
    transport.run(
      { argv: ['kill', `-${signal}`, '--', `-${pgid}`] },
      { timeoutMs: commandTimeoutMs(context, transport.host) },
    ),
  );
}

async function groupGoneWithin(
  context: DaemonizeContext,
  transport: Transport,
  pgid: number,
  ms: number,
): Promise<boolean> {
  const deadline = context.now() + ms;
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    const table = await readProcessTable(context, transport);
    if (table.liveMembers(pgid) === 0) return true;
    if (context.now() >= deadline) return false;
    await context.sleep(delay);
  }
}
