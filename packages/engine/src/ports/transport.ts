import type { Host } from '@ketrew/edsl';

/** A command to run on a host: an argv (no shell) or a string for the host's shell. */
export type HostCommand = { readonly argv: readonly string[] } | { readonly shell: string };

export interface RunOptions {
  /** Kill the command past this many milliseconds (exit with `timedOut: true`). */
  readonly timeoutMs?: number | undefined;
  /** Written to the command's standard input, then closed. */
  readonly stdin?: string | undefined;
  /** Working directory (absolute). */
  readonly cwd?: string | undefined;
}

export interface RunResult {
  /** `null` when the command was killed by a signal or timed out. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export interface FileStat {
  readonly kind: 'file' | 'directory' | 'other';
  /** Bytes. */
  readonly size: number;
  /** Epoch milliseconds. */
  readonly mtimeMs: number;
}

/**
 * A host: runs commands and reads, writes and stats files there (DESIGN.md §6).
 *
 * Contract:
 * - Every method may be called concurrently; implementations queue or pool as needed.
 * - Failures to reach the host (connection refused, SSH timeout) throw a `TransportError` with
 *   `recoverable: true`; a command that ran and failed is not an error: it is a `RunResult` with a
 *   non-zero `exitCode`.
 * - Paths are absolute; a relative path throws a fatal `TransportError`.
 * - After `close()` every call throws `ClosedError`; `close()` twice is harmless.
 */
export interface Transport {
  /** The host this transport reaches. */
  readonly host: Host;

  /** Run a command to completion. Never throws for a non-zero exit. */
  run(command: HostCommand, options?: RunOptions): Promise<RunResult>;

  /**
   * Read a file as UTF-8, from byte `offset` (default 0), at most `length` bytes (default all).
   * Returns `null` when the file does not exist.
   */
  readFile(
    path: string,
    options?: { readonly offset?: number | undefined; readonly length?: number | undefined },
  ): Promise<string | null>;

  /** Write a file (replacing it), creating missing parent directories. `mode` defaults to 0o644. */
  writeFile(
    path: string,
    content: string,
    options?: { readonly mode?: number | undefined },
  ): Promise<void>;

  /** Create a directory and its parents; succeeds if it exists. */
  mkdir(path: string): Promise<void>;

  /** Stat a path (following links); `null` when it does not exist. */
  stat(path: string): Promise<FileStat | null>;

  /** Release connections. Idempotent. */
  close(): Promise<void>;
}

/** Gives the transport for a host; the engine calls it for every host it meets. */
export type TransportProvider = (host: Host) => Transport;
