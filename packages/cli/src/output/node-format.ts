import type { FailureReason, NodeState, SimpleStatus } from '@ketrew/engine';
import { describeReason } from './describe-spec.js';
import type { Palette } from './palette.js';

/** The colour of a simple status: green done, red failed, yellow in progress, dim activable. */
export function colourStatus(
  status: SimpleStatus,
  palette: Palette,
  text: string = status,
): string {
  switch (status) {
    case 'successful':
      return palette.green(text);
    case 'failed':
      return palette.red(text);
    case 'in-progress':
      return palette.yellow(text);
    case 'activable':
      return palette.dim(text);
    default:
      return unreachable(status);
  }
}

/**
 * A state in a few words: its kebab-case name, plus what matters about it (the failure reason,
 * who activated it). A finished node shows the state it finished from.
 */
export function describeState(state: NodeState): string {
  switch (state.kind) {
    case 'finished':
      return state.reason === undefined ? state.from : withReason(state.from, state.reason);
    case 'active':
      return `active (${describeActivation(state.by)})`;
    case 'dependencies-failed':
    case 'failed-to-start':
    case 'failed-running':
    case 'did-not-ensure-condition':
    case 'failed-to-eval-condition':
    case 'killed':
    case 'failed-to-kill':
      return `${withReason(state.kind, state.reason)}${'nextAttemptAt' in state && state.nextAttemptAt !== undefined ? ' (will retry)' : ''}`;
    case 'killing':
      return 'killing';
    case 'passive':
    case 'already-done':
    case 'building':
    case 'starting':
    case 'running':
    case 'ran-successfully':
    case 'did-nothing':
    case 'verified-success':
      return state.kind;
    default:
      return unreachable(state);
  }
}

/** `failed-running: non-zero exit 2`, but `killed` rather than `killed: killed`. */
function withReason(kind: string, reason: FailureReason): string {
  const text = describeReason(reason);
  return text === kind ? kind : `${kind}: ${text}`;
}

/** A state in a node's history: like `describeState`, but the last entry says `finished`. */
export function describeHistoryState(state: NodeState): string {
  return state.kind === 'finished' ? `finished (${state.outcome})` : describeState(state);
}

function describeActivation(by: Extract<NodeState, { kind: 'active' }>['by']): string {
  switch (by.kind) {
    case 'user':
      return 'by the user';
    case 'dependency-of':
      return `as a dependency of ${by.id}`;
    case 'success-of':
      return `on success of ${by.id}`;
    case 'failure-of':
      return `on failure of ${by.id}`;
    case 'retry':
      return `retry after attempt ${by.previousAttempt}`;
    case 'restart':
      return 'restarted';
    default:
      return unreachable(by);
  }
}

/** `12s ago`, `3m ago`, `5h ago`, `2d ago` (`just now` under a second). */
export function formatAgo(now: number, time: number): string {
  const seconds = Math.floor((now - time) / 1000);
  if (seconds < 1) return 'just now';
  return `${formatSeconds(seconds)} ago`;
}

/** `45s`, `3m`, `2h05m`, `3d04h`. */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.floor(total));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400)
    return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
}

/** Local date and time, `YYYY-MM-DD HH:MM:SS`. */
export function formatTime(time: number): string {
  const d = new Date(time);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `3 successful, 1 failed, 2 in progress, 0 activable` with colours. */
export function formatCounts(
  counts: Readonly<Record<SimpleStatus, number>>,
  palette: Palette,
): string {
  const order: readonly SimpleStatus[] = ['successful', 'failed', 'in-progress', 'activable'];
  return order
    .map((status) => colourStatus(status, palette, `${counts[status]} ${status.replace('-', ' ')}`))
    .join(', ');
}

function unreachable(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
