import type { Host } from '@ketrew/edsl';
import { ClosedError, TransportError } from '../errors.js';
import type {
  FileStat,
  HostCommand,
  RunOptions,
  RunResult,
  Transport,
} from '../ports/transport.js';

/** Answers a command run on a fake host; `undefined` falls back to the built-in commands. */
export type FakeCommandHandler = (
  command: HostCommand,
  options: RunOptions | undefined,
) => RunResult | Promise<RunResult> | undefined;

export interface FakeTransportOptions {
  /** Default: localhost with no playground. */
  readonly host?: Host | undefined;
  /** Initial files: absolute path → content. Parent directories are implied. */
  readonly files?: Readonly<Record<string, string>> | undefined;
  readonly run?: FakeCommandHandler | undefined;
}

type Entry =
  { readonly kind: 'file'; content: string; mtimeMs: number } | { readonly kind: 'directory' };

/** A localhost `Host` value for tests. */
export const FAKE_LOCALHOST: Host = {
  name: 'localhost',
  connection: { kind: 'localhost' },
  playground: null,
  shell: ['sh', '-c'],
  timeout: null,
};

/**
 * An in-memory `Transport` for tests: files in a map, commands answered by a handler. Without a
 * handler (or when it returns `undefined`) a shell text of `true`, `false` or `exit N` exits
 * accordingly and anything else exits 127. Set `unreachable` to make every call throw a
 * recoverable `TransportError`, as a host that is down would.
 *
 * @example
 * const transport = new FakeTransport({ files: { '/data/in.txt': 'hello' } });
 * await transport.stat('/data'); // { kind: 'directory', … }
 */
export class FakeTransport implements Transport {
  readonly host: Host;
  /** Every command run, in order. */
  readonly commands: HostCommand[] = [];
  unreachable = false;
  readonly #entries = new Map<string, Entry>([['/', { kind: 'directory' }]]);
  readonly #handler: FakeCommandHandler | undefined;
  #closed = false;

  constructor(options: FakeTransportOptions = {}) {
    this.host = options.host ?? FAKE_LOCALHOST;
    this.#handler = options.run;
    for (const [path, content] of Object.entries(options.files ?? {})) this.#write(path, content);
  }

  async run(command: HostCommand, options?: RunOptions): Promise<RunResult> {
    this.#check();
    this.commands.push(command);
    const answer = await this.#handler?.(command, options);
    if (answer !== undefined) return answer;
    const text = 'shell' in command ? command.shell : (command.argv.at(-1) ?? '');
    const exit = /^\s*(?:exit\s+(\d+)|(true)|(false))\s*$/.exec(text);
    const exitCode =
      exit === null ? 127 : exit[2] !== undefined ? 0 : exit[3] !== undefined ? 1 : Number(exit[1]);
    return {
      exitCode,
      signal: null,
      timedOut: false,
      stdout: '',
      stderr: exit === null ? 'not found' : '',
    };
  }

  async readFile(
    path: string,
    options?: { readonly offset?: number | undefined; readonly length?: number | undefined },
  ): Promise<string | null> {
    this.#check(path);
    const entry = this.#entries.get(normalise(path));
    if (entry === undefined) return null;
    if (entry.kind !== 'file')
      throw new TransportError(`${path} is a directory`, { recoverable: false });
    const bytes = Buffer.from(entry.content, 'utf8');
    const offset = options?.offset ?? 0;
    const end = options?.length === undefined ? bytes.length : offset + options.length;
    return bytes.subarray(offset, end).toString('utf8');
  }

  async writeFile(path: string, content: string): Promise<void> {
    this.#check(path);
    this.#write(path, content);
  }

  async mkdir(path: string): Promise<void> {
    this.#check(path);
    this.#mkdirs(normalise(path));
  }

  async stat(path: string): Promise<FileStat | null> {
    this.#check(path);
    const entry = this.#entries.get(normalise(path));
    if (entry === undefined) return null;
    return entry.kind === 'file'
      ? { kind: 'file', size: Buffer.byteLength(entry.content, 'utf8'), mtimeMs: entry.mtimeMs }
      : { kind: 'directory', size: 4096, mtimeMs: 0 };
  }

  /** Remove a file or a directory with everything under it. */
  remove(path: string): void {
    const root = normalise(path);
    for (const key of [...this.#entries.keys()]) {
      if (key === root || key.startsWith(`${root}/`)) this.#entries.delete(key);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #check(path?: string): void {
    if (this.#closed) throw new ClosedError(`transport to ${this.host.name}`);
    if (this.unreachable) {
      throw new TransportError(`${this.host.name} is unreachable`, { recoverable: true });
    }
    if (path !== undefined && !path.startsWith('/')) {
      throw new TransportError(`path must be absolute, got ${JSON.stringify(path)}`, {
        recoverable: false,
      });
    }
  }

  #write(path: string, content: string): void {
    const key = normalise(path);
    this.#mkdirs(parentOf(key));
    this.#entries.set(key, { kind: 'file', content, mtimeMs: 0 });
  }

  #mkdirs(path: string): void {
    if (path === '/' || this.#entries.get(path)?.kind === 'directory') return;
    if (this.#entries.has(path)) {
      throw new TransportError(`${path} exists and is not a directory`, { recoverable: false });
    }
    this.#mkdirs(parentOf(path));
    this.#entries.set(path, { kind: 'directory' });
  }
}

function normalise(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  return `/${parts.join('/')}`;
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}
