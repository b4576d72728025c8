import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/*
 * The pid file of a running server: one line, the pid. A pid is only trusted when the process
 * is alive, not a zombie, and (where /proc exists) a ketrew process: a stale file after a crash
 * must never make `stop-server` signal an unrelated process that got the same pid.
 */

export function readPidFile(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim().split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export function writePidFile(path: string, pid: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${pid}\n`);
}

/** Remove the pid file if it still names `pid` (another server may have replaced it). */
export function removePidFile(path: string, pid?: number): void {
  if (pid === undefined || readPidFile(path) === pid) rmSync(path, { force: true });
}

/** Alive and not a zombie (a process that exited but was not reaped counts as gone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = procStat(pid);
  return state === null || state !== 'Z';
}

/** Whether the process looks like a ketrew server; `true` when it cannot be told (no /proc). */
export function looksLikeKetrew(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true;
  }
  return /ketrew/i.test(cmdline);
}

/** The pid of the server the pid file names, if it is running; `null` otherwise. */
export function runningServerPid(pidFile: string): number | null {
  const pid = readPidFile(pidFile);
  if (pid === null) return null;
  return isProcessAlive(pid) && looksLikeKetrew(pid) ? pid : null;
}

function procStat(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name, which is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}
