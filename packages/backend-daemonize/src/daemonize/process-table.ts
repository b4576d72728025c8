/** One line of `ps`: a process, its group and its state letters (`S`, `R`, `Z`, …). */
export interface ProcessEntry {
  readonly pid: number;
  readonly pgid: number;
  readonly stat: string;
}

/**
 * The one `ps` call per host and poll: every process with its group and state. Options that
 * procps (Linux) and BSD `ps` (macOS) both understand.
 */
export const PROCESS_TABLE_ARGV: readonly string[] = [
  'ps',
  '-A',
  '-o',
  'pid=',
  '-o',
  'pgid=',
  '-o',
  'stat=',
];

/** The processes of this machine, as `ps` printed them (unreadable lines are skipped). */
export class ProcessTable {
  readonly #byPid = new Map<number, ProcessEntry>();
  readonly #liveGroups = new Map<number, number>();

  constructor(psOutput: string) {
    for (const line of psOutput.split('\n')) {
      const match = /^\s*(\d+)\s+(\d+)\s+(\S+)/.exec(line);
      if (match === null) continue;
      const entry = { pid: Number(match[1]), pgid: Number(match[2]), stat: match[3] ?? '' };
      this.#byPid.set(entry.pid, entry);
      if (isLive(entry))
        this.#liveGroups.set(entry.pgid, (this.#liveGroups.get(entry.pgid) ?? 0) + 1);
    }
  }

  /**
   * Is the monitored script with this pid still running? It must exist, lead its own group
   * (pgid = pid; a reused pid almost never does) and not be a zombie: an exited process whose
   * parent is gone stays a zombie where PID 1 does not reap orphans.
   */
  isLeaderAlive(pid: number): boolean {
    const entry = this.#byPid.get(pid);
    return entry !== undefined && entry.pgid === pid && isLive(entry);
  }

  /** How many live (non-zombie) processes are in group `pgid`. */
  liveMembers(pgid: number): number {
    return this.#liveGroups.get(pgid) ?? 0;
  }
}

function isLive(entry: ProcessEntry): boolean {
  return !entry.stat.startsWith('Z') && !entry.stat.startsWith('X');
}
