import { unlink, watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makePrivateDirectory, removePrivateDirectory } from '../local/private-directory.js';

export interface EndNotifierOptions {
  /**
   * The directory to use (created if missing, kept at `close`); `undefined`: a fresh private
   * directory under the system's temporary directory, removed at `close` (or when the process exits).
   */
  readonly directory?: string | undefined;
}

/**
 * The notify directory of one daemonize backend on this machine (docs/daemonize.md#push): the
 * monitored script of each local job creates `<directory>/<job name>` when it ends; this class
 * watches the directory (inotify through `fs.watch`) and tells its listeners at once, and lists
 * the jobs that announced their end (`ended`). Files are removed once the backend has seen the
 * end (`consume`). Everything here is a hint: if the directory cannot be made or watched, the
 * backend falls back to reading logs and `ps`.
 */
export class EndNotifier {
  readonly #wanted: string | undefined;
  #directory: Promise<string | null> | null = null;
  #ready: string | null = null;
  #watcher: FSWatcher | null = null;
  readonly #listeners = new Set<() => void>();
  /** Files this process is removing: their deletion is not news. */
  readonly #consuming = new Set<string>();
  /** While watching: the files announced by events (no `readdir` per poll). */
  readonly #announced = new Set<string>();
  #closed = false;

  constructor(options: EndNotifierOptions = {}) {
    this.#wanted = options.directory;
  }

  /** The directory, created at the first call; `null` when it cannot be. */
  directory(): Promise<string | null> {
    this.#directory ??= this.#create();
    return this.#directory;
  }

  /** The notify file of a job, once `directory()` succeeded; else `null`. */
  fileFor(jobName: string): string | null {
    return this.#ready === null ? null : join(this.#ready, jobName);
  }

  /** Call `listener` whenever a job may have ended. Returns the way to stop. */
  watch(listener: () => void): () => void {
    const own = (): void => listener();
    this.#listeners.add(own);
    this.#startWatching();
    return () => {
      this.#listeners.delete(own);
      if (this.#listeners.size === 0) this.#stopWatching();
    };
  }

  /**
   * Names of the jobs that announced their end and were not consumed; `null` when unknown.
   * While watching, from the watch events (a missed event is caught by the backend's liveness
   * checks, which read every log); otherwise from the directory itself.
   */
  async ended(): Promise<ReadonlySet<string> | null> {
    if (this.#ready === null) return null;
    if (this.#watcher !== null) return this.#announced;
    try {
      return new Set(await readdir(this.#ready));
    } catch {
      return null;
    }
  }

  /** Remove a job's notify file (its end has been seen); missing is fine. */
  consume(jobName: string): Promise<void> {
    const directory = this.#ready;
    if (directory === null) return Promise.resolve();
    this.#announced.delete(jobName);
    this.#consuming.add(jobName);
    // A callback, not a promise of `fs/promises` (one per job); its answer matters to nobody.
    return new Promise((resolve) => {
      unlink(join(directory, jobName), (error) => {
        if (error !== null) this.#consuming.delete(jobName);
        resolve();
      });
    });
  }

  /** Stop watching; remove the directory if this notifier made it. Jobs still running are fine. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    this.#stopWatching();
    const directory = await this.#directory;
    if (directory !== null && this.#wanted === undefined) {
      await removePrivateDirectory(directory);
    }
  }

  async #create(): Promise<string | null> {
    if (this.#closed) return null;
    try {
      let directory: string;
      if (this.#wanted === undefined) {
        directory = await makePrivateDirectory('ketrew-notify-');
      } else {
        await mkdir(this.#wanted, { recursive: true, mode: 0o700 });
        directory = this.#wanted;
      }
      this.#ready = directory;
      this.#startWatching();
      return directory;
    } catch {
      return null;
    }
  }

  #startWatching(): void {
    const directory = this.#ready;
    if (this.#watcher !== null || directory === null || this.#listeners.size === 0) return;
    try {
      // Not persistent: watching must not keep the process alive.
      this.#watcher = watch(directory, { persistent: false }, (_event, name) => {
        if (typeof name === 'string') {
          if (this.#consuming.delete(name)) return;
          this.#announced.add(name);
        }
        for (const listener of [...this.#listeners]) listener();
      });
      this.#watcher.on('error', () => this.#stopWatching());
    } catch {
      this.#watcher = null;
      return;
    }
    // Jobs that ended before the watch began.
    readdir(directory).then(
      (names) => {
        for (const name of names) this.#announced.add(name);
      },
      () => undefined,
    );
  }

  #stopWatching(): void {
    this.#watcher?.close();
    this.#watcher = null;
    this.#announced.clear();
  }
}
