import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real `ketrew` launcher (runs the sources through tsx). */
export const KETREW_BIN = fileURLToPath(new URL('../bin/ketrew.js', import.meta.url));

export interface KetrewResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temporary $KETREW_ROOT and HOME, and a way to run `ketrew` in them as a real process. */
export class KetrewSandbox {
  readonly root: string;
  readonly home: string;
  readonly directory: string;

  constructor() {
    this.directory = mkdtempSync(join(tmpdir(), 'ketrew-e2e-'));
    this.root = join(this.directory, 'root');
    this.home = join(this.directory, 'home');
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      // KETREW_CLI_USE_DIST=1 runs these tests against the built binary (dist/ketrew.js).
      if (value !== undefined && (!key.startsWith('KETREW_') || key === 'KETREW_CLI_USE_DIST')) {
        env[key] = value;
      }
    }
    return { ...env, KETREW_ROOT: this.root, HOME: this.home, NO_COLOR: '1', ...extra };
  }

  /** Run `ketrew ARGS`; never rejects on a non-zero exit. */
  run(
    args: readonly string[],
    options: { readonly cwd?: string; readonly env?: Record<string, string> } = {},
  ): Promise<KetrewResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [KETREW_BIN, ...args], {
        cwd: options.cwd ?? this.directory,
        env: this.env(options.env),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  /** Run and parse `--json` output; throws with the output when the exit code is not 0. */
  async json<T>(
    args: readonly string[],
    options: { readonly env?: Record<string, string> } = {},
  ): Promise<T> {
    const result = await this.run([...args, '--json'], options);
    if (result.code !== 0) {
      throw new Error(
        `ketrew ${args.join(' ')} exited ${result.code}: ${result.stderr}${result.stdout}`,
      );
    }
    return JSON.parse(result.stdout) as T;
  }

  remove(): void {
    rmSync(this.directory, { recursive: true, force: true });
  }
}

/** A TCP port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Poll `check` until it returns a value (not undefined), or fail after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
