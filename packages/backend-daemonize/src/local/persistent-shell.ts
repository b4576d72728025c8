import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { TransportError } from '@ketrew/engine';

export interface PersistentShellOptions {
  /** The shell, reading its commands from standard input, e.g. `['sh']`. */
  readonly argv: readonly string[];
  /** Extra environment (added to this process's). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** Shell text run once when the shell starts (function definitions). */
  readonly prelude: string;
  /** How long one request may wait for its answer before the shell is deemed stuck. */
  readonly timeoutMs: number;
}

interface Pending {
  readonly resolve: (answer: string) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/**
 * One long-lived shell on this machine, fed through its standard input, for commands that return
 * at once (e.g. starting a detached job): a request costs a line written to a pipe instead of a
 * Node `spawn`, which forks the whole Node process. Requests run in the order given.
 *
 * Contract:
 * - `ask(command)` writes `command(tag)`, shell text that must print exactly one line
 *   `<tag> <answer>` on standard output, must not read standard input and must not block; it
 *   resolves with `answer`.
 * - If the shell dies, or a request waits more than `timeoutMs` (the shell is then killed), every
 *   request in flight fails with a recoverable `TransportError`; the next request starts a new
 *   shell. A request in flight may or may not have run.
 * - The shell never keeps this process alive while no request is in flight; it exits when this
 *   process does (its standard input closes), or at `close()`.
 */
export class PersistentShell {
  readonly #options: PersistentShellOptions;
  #child: ChildProcessWithoutNullStreams | null = null;
  readonly #pending = new Map<string, Pending>();
  #next = 0;
  #buffer = '';
  #stderr = '';
  #closed = false;

  constructor(options: PersistentShellOptions) {
    this.#options = options;
  }

  /** Pid of the current shell, if one runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  ask(command: (tag: string) => string): Promise<string> {
    if (this.#closed) {
      return Promise.reject(
        new TransportError('the persistent shell is closed', { recoverable: false }),
      );
    }
    const child = this.#child ?? this.#spawn();
    const tag = `k${this.#next++}`;
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(child, `no answer within ${this.#options.timeoutMs} ms`);
        child.kill('SIGKILL');
      }, this.#options.timeoutMs);
      this.#pending.set(tag, { resolve, reject, timer });
      if (this.#pending.size === 1) this.#hold(child, true);
      child.stdin.write(`${command(tag)}\n`);
    });
  }

  /** End the shell (its standard input closes). Requests in flight fail. */
  close(): void {
    this.#closed = true;
    const child = this.#child;
    if (child === null) return;
    this.#fail(child, 'the persistent shell was closed');
    child.stdin.end();
  }

  #spawn(): ChildProcessWithoutNullStreams {
    const [program, ...args] = this.#options.argv;
    if (program === undefined) throw new Error('empty argv');
    const env = this.#options.env;
    const child = spawn(program, args, {
      cwd: '/',
      env: env === undefined ? undefined : { ...process.env, ...env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#buffer = '';
    this.#stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.#child === child) this.#read(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-2_000);
    });
    child.stdin.on('error', () => {
      // EPIPE: the shell is gone; 'close' tells the pending requests.
    });
    child.on('error', (error) => this.#fail(child, `cannot run ${program}: ${error.message}`));
    child.on('close', (code, signal) =>
      this.#fail(child, `the shell exited (${signal ?? `code ${String(code)}`})`),
    );
    child.stdin.write(`${this.#options.prelude}\n`);
    this.#hold(child, false);
    return child;
  }

  /** Keep this process alive only while requests are in flight. */
  #hold(child: ChildProcessWithoutNullStreams, hold: boolean): void {
    // The pipes are sockets at run time (`ref`/`unref`), typed as plain streams.
    const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as {
      ref(): void;
      unref(): void;
    }[];
    for (const handle of handles) {
      if (hold) handle.ref();
      else handle.unref();
    }
  }

  #read(chunk: string): void {
    this.#buffer += chunk;
    let end = this.#buffer.indexOf('\n');
    while (end >= 0) {
      const line = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 1);
      const space = line.indexOf(' ');
      const tag = space < 0 ? line : line.slice(0, space);
      const pending = this.#pending.get(tag);
      if (pending !== undefined) {
        this.#pending.delete(tag);
        clearTimeout(pending.timer);
        pending.resolve(space < 0 ? '' : line.slice(space + 1));
      }
      end = this.#buffer.indexOf('\n');
    }
    if (this.#pending.size === 0 && this.#child !== null) this.#hold(this.#child, false);
  }

  /** The shell `child` is unusable: fail its requests, and let the next request start another. */
  #fail(child: ChildProcessWithoutNullStreams, why: string): void {
    if (this.#child !== child) return;
    this.#child = null;
    this.#hold(child, false);
    const stderr = this.#stderr.trim();
    const error = new TransportError(
      `persistent shell: ${why}${stderr === '' ? '' : `; its stderr says: ${stderr}`}`,
      { recoverable: true },
    );
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}
