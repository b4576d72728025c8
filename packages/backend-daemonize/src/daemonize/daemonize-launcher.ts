import { MONITORED_FILES, monitoredFilePath } from '../monitored-script/monitored-files.js';
import { shellQuote, shellQuoteArgv } from '../monitored-script/shell-quote.js';
import type { DaemonizeMode } from './daemonize-run-state.js';

/**
 * The shell text that starts a playground's monitored script detached from the caller: in a new
 * session whose process group it leads (so pid = pgid), with stdin from /dev/null and stdout,
 * stderr appended to `out`, `err`. It returns at once; the script writes its pid when it runs.
 *
 * - `nohup-setsid`: `nohup setsid bash SCRIPT … &`, as the original Ketrew.
 * - `python-daemon`: a double fork in python3 (`setsid` between the forks, then `setpgid(0, 0)`
 *   so the script leads its own group), for hosts without `setsid` (macOS).
 */
export function daemonizeLauncher(playground: string, mode: DaemonizeMode): string {
  const script = monitoredFilePath(playground, 'script');
  switch (mode) {
    case 'nohup-setsid':
      return [
        `cd ${shellQuote(playground)} &&`,
        `nohup setsid bash ${shellQuote(script)} </dev/null`,
        `>>${shellQuote(monitoredFilePath(playground, 'stdout'))}`,
        `2>>${shellQuote(monitoredFilePath(playground, 'stderr'))} &`,
      ].join(' ');
    case 'python-daemon':
      return shellQuoteArgv(['python3', '-c', PYTHON_DAEMON, playground, script]);
    default: {
      const unknown: never = mode;
      throw new Error(`unknown daemonize mode ${String(unknown)}`);
    }
  }
}

/**
 * Shell functions of the persistent launcher (one long-lived shell per machine fed through its
 * standard input, see `PersistentShell`): `__ketrew_launch TAG PLAYGROUND` starts the playground's
 * script as `nohup-setsid` does, minus `nohup` (in a new session without a terminal there is no
 * hangup to ignore, and the script's HUP trap then works), and prints `TAG PID`. One fork (the
 * subshell, which `exec`s `setsid`, which `exec`s bash: same pid), the launcher's own directory
 * unchanged. Errors of `cd` or of the redirections go to the playground's `err`, or to the
 * launcher's stderr when `err` cannot be opened; the start then times out waiting for the pid.
 */
export const PERSISTENT_LAUNCHER_PRELUDE = `__ketrew_launch() {
  ( cd "$2" && exec setsid bash "$2"/${MONITORED_FILES.script} ) </dev/null >>"$2"/${MONITORED_FILES.stdout} 2>>"$2"/${MONITORED_FILES.stderr} &
  printf '%s %s\n' "$1" "$!"
}`;

/** The request to the persistent launcher that starts the script of `playground`. */
export function persistentLaunchRequest(tag: string, playground: string): string {
  return `__ketrew_launch ${tag} ${shellQuote(playground)}`;
}

const PYTHON_DAEMON = `import os, sys
playground, script = sys.argv[1], sys.argv[2]
child = os.fork()
if child > 0:
    os.waitpid(child, 0)
    sys.exit(0)
os.setsid()
if os.fork() > 0:
    os._exit(0)
os.setpgid(0, 0)
os.chdir(playground)
append = os.O_WRONLY | os.O_CREAT | os.O_APPEND
fds = [os.open('/dev/null', os.O_RDONLY),
       os.open('${MONITORED_FILES.stdout}', append, 0o644),
       os.open('${MONITORED_FILES.stderr}', append, 0o644)]
for target, fd in enumerate(fds):
    os.dup2(fd, target)
os.closerange(3, 4096)
try:
    os.execvp('bash', ['bash', script])
except OSError as error:
    os.write(2, ('ketrew python-daemon: cannot run bash: %s\\n' % error).encode())
    os._exit(127)
`;
