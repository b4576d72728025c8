/**
 * The files of a monitored run inside its playground (docs/monitored-script.md). Tools and other
 * backends rely on these names.
 */
export const MONITORED_FILES = {
  /** The generated script itself. */
  script: 'monitored_script',
  /** The script's pid (= its process group id), one decimal line, written first. */
  pid: 'pid',
  /** The machine-readable log (see `parseMonitoredLog`). */
  log: 'log',
  /** Standard output of the commands. */
  stdout: 'out',
  /** Standard error of the commands (and of the script's own start-up). */
  stderr: 'err',
  /** Written by a backend that gave up waiting for the pid: the script exits at once if present. */
  abandoned: 'abandoned',
} as const;

export type MonitoredFile = keyof typeof MONITORED_FILES;

/** Absolute path of one of the run's files: `<playground>/<name>`. */
export function monitoredFilePath(playground: string, file: MonitoredFile): string {
  const base = playground.endsWith('/') ? playground.slice(0, -1) : playground;
  return `${base}/${MONITORED_FILES[file]}`;
}

/**
 * Parse the content of a pid file: a positive decimal number followed by a newline (a file
 * without its newline is still being written). `null` when not (yet) valid. Pids 0 and 1 are
 * refused: signalling "group 1" or "group 0" would hit unrelated processes.
 */
export function parsePidFile(content: string | null): number | null {
  const match = content === null ? null : /^(\d{1,10})\n/.exec(content);
  if (match === null) return null;
  const pid = Number(match[1]);
  return pid >= 2 ? pid : null;
}
