import type { PollStatus } from '@ketrew/engine';
import { parseMonitoredLog, type MonitoredLog } from '../monitored-script/monitored-log.js';

const MAX_COMMAND_IN_REASON = 500;

/**
 * What became of a run whose monitored script is no longer running, from its log (`null`: no
 * log file; `playgroundExists`: whether the directory is still there). The rule
 * (docs/daemonize.md): `success` → succeeded; `failure` → non-zero-exit with the code and the
 * command; `killed SIG` (a trapped TERM, INT or HUP) → killed; anything else → lost, since the
 * script ended without saying how (SIGKILL, a crash of the machine, a deleted playground).
 */
export function endedRunStatus(
  log: string | null,
  playground: string,
  playgroundExists: boolean,
): PollStatus {
  if (log === null && !playgroundExists) {
    return { kind: 'lost', message: `the playground ${playground} disappeared` };
  }
  const { summary } = parseMonitoredLog(log ?? '');
  return statusOfSummary(summary, playground);
}

/**
 * The outcome of a run whose log already records its end (`success`, `failure`, `killed`),
 * whether or not its script has exited yet; `null` while the log has no end record.
 */
export function terminalRunStatus(log: string | null): PollStatus | null {
  if (log === null) return null;
  const { summary } = parseMonitoredLog(log);
  return summary.kind === 'succeeded' || summary.kind === 'failed' || summary.kind === 'killed'
    ? statusOfSummary(summary, '')
    : null;
}

function statusOfSummary(summary: MonitoredLog['summary'], playground: string): PollStatus {
  switch (summary.kind) {
    case 'succeeded':
      return { kind: 'succeeded' };
    case 'failed':
      return {
        kind: 'failed',
        reason: {
          kind: 'non-zero-exit',
          code: summary.code,
          command: shorten(summary.command ?? summary.label ?? 'the monitored script itself'),
        },
      };
    case 'killed':
      return {
        kind: 'failed',
        reason: { kind: 'killed', message: `the job received SIG${summary.signal}` },
      };
    case 'not-started':
      return {
        kind: 'lost',
        message: `the job's process is gone and its log (${playground}/log) has no start record`,
      };
    case 'running':
      return {
        kind: 'lost',
        message:
          `the job's process group is gone without a success or failure record` +
          (summary.label === null
            ? ''
            : ` (it was running ${summary.label}: ${shorten(summary.command ?? '')})`) +
          `: killed by SIGKILL, or the machine restarted?`,
      };
    default: {
      const unknown: never = summary;
      throw new Error(`unhandled summary ${JSON.stringify(unknown)}`);
    }
  }
}

function shorten(command: string): string {
  return command.length <= MAX_COMMAND_IN_REASON
    ? command
    : `${command.slice(0, MAX_COMMAND_IN_REASON)}…`;
}
