import type { ApiClient } from '../src/client/api-types.js';
import type { ConnectionOptions } from '../src/client/http-connection.js';
import type { CliIo, OutputStream } from '../src/cli-io.js';
import { runCli } from '../src/run-cli.js';

/** An output stream that keeps what is written. */
export class BufferStream implements OutputStream {
  text = '';
  readonly isTTY: boolean;
  readonly columns: number | undefined;

  constructor(isTTY = false, columns?: number) {
    this.isTTY = isTTY;
    this.columns = columns;
  }

  write(text: string): void {
    this.text += text;
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The connection options the CLI built its client with, if it did. */
  readonly connection: ConnectionOptions | undefined;
}

/** Run the CLI in-process with buffers, an environment and an optional API client. */
export async function runInProcess(
  argv: readonly string[],
  options: {
    readonly env?: Record<string, string | undefined>;
    readonly cwd?: string;
    readonly client?: Partial<ApiClient>;
    readonly tty?: boolean;
    readonly now?: number;
    readonly signal?: AbortSignal;
  } = {},
): Promise<RunResult> {
  const stdout = new BufferStream(options.tty ?? false, 100);
  const stderr = new BufferStream(options.tty ?? false, 100);
  let connection: ConnectionOptions | undefined;
  const io: CliIo = {
    stdout,
    stderr,
    env: options.env ?? { KETREW_ROOT: '/nonexistent/ketrew-root' },
    cwd: options.cwd ?? '/',
    home: '/nonexistent/home',
    signal: options.signal ?? new AbortController().signal,
  };
  const code = await runCli(argv, io, {
    createClient: (o) => {
      connection = o;
      return new Proxy(options.client ?? {}, {
        get(target, key) {
          const value = (target as Record<PropertyKey, unknown>)[key];
          if (value === undefined && (key === 'close' || key === 'then')) return undefined;
          if (value === undefined) throw new Error(`the test's client has no ${String(key)}`);
          return value;
        },
      }) as ApiClient;
    },
    now: () => options.now ?? Date.parse('2026-01-01T12:00:00Z'),
  });
  return { code, stdout: stdout.text, stderr: stderr.text, connection };
}
