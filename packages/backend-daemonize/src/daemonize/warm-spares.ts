import { close, constants, open, unlink, write } from 'node:fs';
import { join } from 'node:path';
import type { PersistentShell } from '../local/persistent-shell.js';
import { makePrivateDirectory, removePrivateDirectory } from '../local/private-directory.js';
import { MONITORED_FILES } from '../monitored-script/monitored-files.js';
import { shellQuote } from '../monitored-script/shell-quote.js';

/** How long an idle spare waits for a job before it exits, in seconds. */
const SPARE_IDLE_SECONDS = 300;
/** A spare that does not hold its FIFO this long after it was made is deemed dead, in ms. */
const SPARE_START_MS = 10_000;
/** Spares older than this are not used (well before they give up waiting), in ms. */
const SPARE_MAX_AGE_MS = (SPARE_IDLE_SECONDS - 60) * 1000;

// The spare: a bash in its own session (pid = pgid = sid), holding its FIFO open for reading and
// writing (so the open never blocks and it sees no end of file), waiting for a playground; it
// gives up when its launcher ($2) is gone (so is the server) or after SPARE_IDLE_SECONDS. Then
// it becomes the job: the launcher's redirections, and the monitored script run in place.
const SPARE_CODE = [
  'exec 3<>"$1" || exit 0',
  '__ketrew_spare_waited=0',
  'until IFS= read -r -t 2 -u 3 __ketrew_spare_playground; do',
  '  kill -0 "$2" 2>/dev/null || exit 0',
  '  __ketrew_spare_waited=$((__ketrew_spare_waited + 2))',
  `  [ "$__ketrew_spare_waited" -lt ${SPARE_IDLE_SECONDS} ] || exit 0`,
  'done',
  'exec 3<&-',
  'case $__ketrew_spare_playground in /*) ;; *) exit 0 ;; esac',
  'cd "$__ketrew_spare_playground" || exit 70',
  `exec </dev/null >>${MONITORED_FILES.stdout} 2>>${MONITORED_FILES.stderr}`,
  'set --',
  `. ./${MONITORED_FILES.script}`,
].join('\n');

/**
 * Launcher function making a spare: `__ketrew_spare TAG FIFO` answers `TAG PID`, or `TAG -`
 * when the FIFO cannot be made. A FIFO of an earlier spare is used again as it is (a test, no
 * process); `mkfifo` (a process, but ahead of the job, off its path) makes the others.
 */
export const SPARE_LAUNCHER_PRELUDE = `__ketrew_spare_code=${shellQuote(SPARE_CODE)}
__ketrew_spare() {
  if [ -p "$2" ] || mkfifo -m 600 "$2" 2>/dev/null; then
    ( exec setsid bash -c "$__ketrew_spare_code" ketrew-spare "$2" "$$" ) </dev/null >/dev/null 2>&1 &
    printf '%s %s\\n' "$1" "$!"
  else
    printf '%s -\\n' "$1"
  fi
}`;

/** A job handed to a spare. */
export interface HandedJob {
  /** The spare's pid, now the job's. */
  readonly pid: number;
  /**
   * Call once the job's pid file is there: the spare closed its FIFO before it ran the script,
   * so the FIFO may serve the next spare (no `mkfifo` for it).
   */
  readonly started: () => void;
}

interface Spare {
  readonly pid: number;
  /** Pid of the launcher that made it: a spare whose launcher died is about to exit. */
  readonly launcher: number | undefined;
  readonly fifo: string;
  readonly bornAt: number;
}

/**
 * Warm spares of one persistent launcher: bash processes already started in their own session,
 * each waiting on a private FIFO, so that a job's start is a line written to a pipe instead of a
 * fork, `setsid` and bash start-up on the job's path. `hand` gives a playground to a spare and
 * answers its pid, or `null` when none is ready (the caller then launches as usual); the pool
 * refills itself in the background. Spares exit by themselves when their launcher is gone
 * (within 2 s: the launcher ends with the server) or after 5 idle minutes, and are not used
 * past 4.
 */
export class WarmSpares {
  readonly #shell: PersistentShell;
  readonly #size: number;
  readonly #ready: Spare[] = [];
  /** FIFOs whose spare has gone on to run its job (it closed them): ready to serve again. */
  readonly #freeFifos: string[] = [];
  #directory: Promise<string | null> | null = null;
  #filling = false;
  #next = 0;
  #closed = false;

  constructor(shell: PersistentShell, size: number) {
    this.#shell = shell;
    this.#size = size;
  }

  /** Start the job of `playground` in a spare; `null` if no spare could take it. */
  async hand(playground: string): Promise<HandedJob | null> {
    if (playground.includes('\n')) return null;
    const notReady: Spare[] = [];
    try {
      for (;;) {
        const spare = this.#ready.shift();
        if (spare === undefined) return null;
        const age = Date.now() - spare.bornAt;
        if (age > SPARE_MAX_AGE_MS || spare.launcher !== this.#shell.pid) {
          void this.#send(spare, '');
          continue;
        }
        const sent = await this.#send(spare, playground, { keepFifo: true });
        if (sent === 'sent') {
          let once = false;
          const started = (): void => {
            if (once || this.#closed) return;
            once = true;
            this.#freeFifos.push(spare.fifo);
          };
          return { pid: spare.pid, started };
        }
        // A young spare may still be starting (its FIFO not open yet): keep it for later.
        if (sent === 'not-ready' && age < SPARE_START_MS) notReady.push(spare);
      }
    } finally {
      this.#ready.push(...notReady);
      this.#fill();
    }
  }

  /** Start spares until `size` wait (one request at a time). */
  #fill(): void {
    if (this.#filling || this.#closed || this.#ready.length >= this.#size) return;
    this.#filling = true;
    void this.#make().then(
      (made) => {
        this.#filling = false;
        if (made) this.#fill();
      },
      () => {
        this.#filling = false;
      },
    );
  }

  async #make(): Promise<boolean> {
    this.#directory ??= makePrivateDirectory('ketrew-spares-').catch(() => null);
    const directory = await this.#directory;
    if (directory === null || this.#closed) return false;
    const fifo = this.#freeFifos.pop() ?? join(directory, `spare-${this.#next++}`);
    const answer = await this.#shell.ask((tag) => `__ketrew_spare ${tag} ${shellQuote(fifo)}`);
    const pid = Number(answer);
    if (!Number.isInteger(pid) || pid < 2) return false;
    const spare = { pid, fifo, bornAt: Date.now(), launcher: this.#shell.pid };
    if (this.#closed) {
      void this.#send(spare, '');
      return false;
    }
    this.#ready.push(spare);
    return true;
  }

  /**
   * Write a line to the spare's FIFO (an empty one makes it exit). `not-ready`: nobody holds the
   * FIFO (the spare is still starting, or gone); the FIFO is then kept, else removed (unless
   * `keepFifo` and sent: a job's FIFO serves again once the job started, see `HandedJob`).
   */
  async #send(
    spare: Spare,
    line: string,
    options: { readonly keepFifo?: boolean } = {},
  ): Promise<'sent' | 'not-ready' | 'gone'> {
    // Non-blocking: the open fails at once (ENXIO) when no spare holds the FIFO. Callbacks:
    // cheaper than a FileHandle's promises, on every start.
    const code = await new Promise<string | null>((resolve) => {
      const failed = (error: NodeJS.ErrnoException): void => resolve(error.code ?? 'EIO');
      open(spare.fifo, constants.O_WRONLY | constants.O_NONBLOCK, (openError, fd) => {
        if (openError !== null) return failed(openError);
        write(fd, `${line}\n`, (writeError) => {
          close(fd, () => (writeError === null ? resolve(null) : failed(writeError)));
        });
      });
    });
    if (code === 'ENXIO') return 'not-ready';
    if (code === null && options.keepFifo === true) return 'sent';
    unlink(spare.fifo, () => undefined);
    return code === null ? 'sent' : 'gone';
  }

  /** Let the waiting spares go (they exit), and remove their directory. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#ready.splice(0).map((spare) => this.#send(spare, '')));
    const directory = await this.#directory;
    if (directory !== null) {
      await removePrivateDirectory(directory);
    }
  }
}
