import { unescapeLogField } from './log-field.js';

/** One line of the monitored log. `time` is epoch milliseconds (`null` if unreadable). */
export type MonitoredLogEntry = { readonly time: number | null } & (
  | { readonly kind: 'start' }
  | { readonly kind: 'before-cmd'; readonly label: string; readonly command: string }
  | { readonly kind: 'after-cmd'; readonly label: string; readonly code: number }
  | { readonly kind: 'success' }
  /** `label` is `null` when the script failed outside any command. */
  | { readonly kind: 'failure'; readonly label: string | null; readonly code: number }
  | { readonly kind: 'killed'; readonly signal: string }
  /** A complete line this version does not understand (kept, never fatal). */
  | { readonly kind: 'unknown'; readonly line: string }
);

/** What the log says about the run as a whole. */
export type MonitoredRunSummary =
  | { readonly kind: 'not-started' }
  /** `label`: the command running now (`null` between commands). */
  | { readonly kind: 'running'; readonly label: string | null; readonly command: string | null }
  | { readonly kind: 'succeeded' }
  | {
      readonly kind: 'failed';
      readonly label: string | null;
      readonly code: number;
      /** The failed command's text (from its `before-cmd` line), when known. */
      readonly command: string | null;
    }
  | { readonly kind: 'killed'; readonly signal: string };

export interface MonitoredLog {
  readonly entries: readonly MonitoredLogEntry[];
  readonly summary: MonitoredRunSummary;
  /** Time of the `start` line, epoch ms. */
  readonly startedAt: number | null;
  /** Time of the `success`/`failure`/`killed` line, epoch ms. */
  readonly endedAt: number | null;
}

/**
 * Parse the content of a monitored script's log (format in docs/monitored-script.md). Robust to
 * a log being written: a last line without its newline is ignored, lines it does not understand
 * become `unknown` entries. The first terminal line (`success`, `failure`, `killed`) decides the
 * summary.
 *
 * @example
 * parseMonitoredLog('1732480000.5\tstart\n').summary // => { kind: 'running', label: null, … }
 */
export function parseMonitoredLog(text: string): MonitoredLog {
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const entries = complete === '' ? [] : complete.slice(0, -1).split('\n').map(parseLine);
  const commands = new Map<string, string>();
  let summary: MonitoredRunSummary = { kind: 'not-started' };
  let startedAt: number | null = null;
  let endedAt: number | null = null;
  let ended = false;
  for (const entry of entries) {
    if (ended) break;
    switch (entry.kind) {
      case 'start':
        startedAt = entry.time;
        summary = { kind: 'running', label: null, command: null };
        break;
      case 'before-cmd':
        commands.set(entry.label, entry.command);
        summary = { kind: 'running', label: entry.label, command: entry.command };
        break;
      case 'after-cmd':
        summary = { kind: 'running', label: null, command: null };
        break;
      case 'success':
        summary = { kind: 'succeeded' };
        ended = true;
        endedAt = entry.time;
        break;
      case 'failure': {
        const command = entry.label === null ? null : (commands.get(entry.label) ?? null);
        summary = { kind: 'failed', label: entry.label, code: entry.code, command };
        ended = true;
        endedAt = entry.time;
        break;
      }
      case 'killed':
        summary = { kind: 'killed', signal: entry.signal };
        ended = true;
        endedAt = entry.time;
        break;
      case 'unknown':
        break;
      default: {
        const unknown: never = entry;
        throw new Error(`unhandled log entry ${JSON.stringify(unknown)}`);
      }
    }
  }
  return { entries, summary, startedAt, endedAt };
}

function parseLine(line: string): MonitoredLogEntry {
  const [stamp = '', kind, ...fields] = line.split('\t');
  const time = parseTime(stamp);
  const unknown = { kind: 'unknown', time, line } as const;
  switch (kind) {
    case 'start':
    case 'success':
      return fields.length === 0 ? { kind, time } : unknown;
    case 'before-cmd': {
      const [label, command] = fields;
      return label !== undefined && command !== undefined && fields.length === 2
        ? { kind, time, label, command: unescapeLogField(command) }
        : unknown;
    }
    case 'after-cmd':
    case 'failure': {
      const [label, returned, code] = fields;
      const exit = code === undefined ? null : parseCode(code);
      if (label === undefined || returned !== 'returned' || exit === null || fields.length !== 3) {
        return unknown;
      }
      return kind === 'failure'
        ? { kind, time, label: label === '-' ? null : label, code: exit }
        : { kind, time, label, code: exit };
    }
    case 'killed': {
      const [signal] = fields;
      return signal !== undefined && fields.length === 1 ? { kind, time, signal } : unknown;
    }
    default:
      return unknown;
  }
}

/** Seconds since the epoch, with an optional fraction (`.` or `,`, as locales print it). */
function parseTime(stamp: string): number | null {
  const match = /^(\d+)(?:[.,](\d{1,9}))?$/.exec(stamp);
  if (match === null) return null;
  const milliseconds = `${match[2] ?? ''}000`.slice(0, 3);
  return Number(match[1]) * 1000 + Number(milliseconds);
}

function parseCode(text: string): number | null {
  return /^\d{1,3}$/.test(text) ? Number(text) : null;
}
