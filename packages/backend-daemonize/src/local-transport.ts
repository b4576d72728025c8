import type { Host } from '@ketrew/edsl';
import {
  ClosedError,
  TransportError,
  type FileStat,
  type HostCommand,
  type RunOptions,
  type RunResult,
  type Transport,
  type TransportProvider,
} from '@ketrew/engine';
import {
  errorCode,
  makeDirectories,
  makeNewDirectory,
  readLocalFile,
  statLocalPath,
  writeLocalFile,
} from './local/local-files.js';
import { runLocalProcess } from './local/local-process.js';

export interface LocalTransportOptions {
  /** The host this transport stands for; must be a `localhost` connection. */
  readonly host: Host;
  /** Extra environment variables for every command (added to this process's environment). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/** Errors of the local machine that may go away by themselves, so worth a retry. */
const TRANSIENT_CODES = new Set([
  'EAGAIN',
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EINTR',
  'ENOSPC',
  'ENOMEM',
]);

/**
 * The `Transport` of this machine (DESIGN.md §6): commands run as child processes, files are
 * read and written with `node:fs`.
 *
 * Contract, beyond the `Transport` port's:
 * - `run({argv})` runs the program without a shell; `run({shell})` runs `[...host.shell, cmd]`
 *   (default `['sh', '-c']`). Each command gets a process group of its own; on timeout the whole
 *   group gets SIGKILL and the result says `timedOut: true`. The default timeout is
 *   `host.timeout` seconds (none when `null`).
 * - A program that does not exist is not an error: exit code 127 (126 when not executable) with
 *   the reason on stderr, as a shell or SSH would answer.
 * - File errors are `TransportError`s naming the path; fatal (EACCES, ENOTDIR, EROFS, …) except
 *   those that may pass (EAGAIN, EMFILE, ENOSPC, …). A relative path is a fatal error.
 * - `readFile` with an offset or length never ends inside a UTF-8 character: it returns fewer
 *   bytes instead, so `offset + byteLength(result)` is where the next read starts.
 *
 * @example
 * const local = new LocalTransport({ host: localhostHost });
 * const { stdout } = await local.run({ argv: ['uname', '-s'] });
 */
export class LocalTransport implements Transport {
  readonly host: Host;
  readonly #env: Readonly<Record<string, string>> | undefined;
  #closed = false;

  constructor(options: LocalTransportOptions) {
    if (options.host.connection.kind !== 'localhost') {
      throw new TransportError(
        `LocalTransport cannot reach host ${options.host.name} (${options.host.connection.kind})`,
        { recoverable: false, details: { host: options.host.name } },
      );
    }
    this.host = options.host;
    this.#env = options.env;
  }

  /** The extra environment of every command (see `LocalTransportOptions.env`). */
  get env(): Readonly<Record<string, string>> | undefined {
    return this.#env;
  }

  async run(command: HostCommand, options: RunOptions = {}): Promise<RunResult> {
    this.#checkOpen();
    if (options.cwd !== undefined) {
      this.#checkAbsolute(options.cwd);
      const cwd = await this.stat(options.cwd);
      if (cwd?.kind !== 'directory') {
        throw new TransportError(`working directory ${options.cwd} does not exist`, {
          recoverable: false,
          details: { path: options.cwd },
        });
      }
    }
    const argv = 'argv' in command ? command.argv : [...this.host.shell, command.shell];
    if (argv.length === 0) {
      throw new TransportError('cannot run an empty argv', { recoverable: false });
    }
    const hostTimeoutMs = this.host.timeout === null ? undefined : this.host.timeout * 1000;
    return runLocalProcess(argv, {
      timeoutMs: options.timeoutMs ?? hostTimeoutMs,
      stdin: options.stdin,
      cwd: options.cwd,
      env: this.#env,
    });
  }

  async readFile(
    path: string,
    options: { readonly offset?: number | undefined; readonly length?: number | undefined } = {},
  ): Promise<string | null> {
    return this.#files('read', path, () => readLocalFile(path, options.offset, options.length));
  }

  async writeFile(
    path: string,
    content: string,
    options: { readonly mode?: number | undefined } = {},
  ): Promise<void> {
    return this.#files('write', path, () => writeLocalFile(path, content, options.mode ?? 0o644));
  }

  async mkdir(path: string): Promise<void> {
    return this.#files('create directory', path, () => makeDirectories(path));
  }

  /**
   * Create the directory `path` (its parents as needed): `'created'`, or `'exists'` when
   * something (directory or not) is already there. Beyond the port: one `mkdir` when the parent
   * exists, where `stat` then `mkdir` take two (the daemonize backend makes a playground per job).
   */
  async makeNewDirectory(path: string): Promise<'created' | 'exists'> {
    return this.#files('create directory', path, () => makeNewDirectory(path));
  }

  async stat(path: string): Promise<FileStat | null> {
    return this.#files('stat', path, () => statLocalPath(path));
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  async #files<T>(operation: string, path: string, action: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    this.#checkAbsolute(path);
    try {
      return await action();
    } catch (error) {
      const code = errorCode(error);
      const reason = error instanceof Error ? error.message : String(error);
      throw new TransportError(`cannot ${operation} ${path} on ${this.host.name}: ${reason}`, {
        recoverable: code !== undefined && TRANSIENT_CODES.has(code),
        cause: error,
        details: { path, operation, ...(code === undefined ? {} : { errno: code }) },
      });
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new ClosedError(`LocalTransport(${this.host.name})`);
  }

  #checkAbsolute(path: string): void {
    if (!path.startsWith('/')) {
      throw new TransportError(`path must be absolute, got ${JSON.stringify(path)}`, {
        recoverable: false,
        details: { path },
      });
    }
  }
}

/**
 * A `TransportProvider` for localhost hosts: a `LocalTransport` per host. Any other connection
 * kind throws a fatal `TransportError` (use the SSH backend's provider for those).
 *
 * @example
 * const backend = createDaemonizeBackend({ transports: createLocalTransportProvider() });
 */
export function createLocalTransportProvider(
  options: { readonly env?: Readonly<Record<string, string>> | undefined } = {},
): TransportProvider {
  return (host) => new LocalTransport({ host, env: options.env });
}
