import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { NodeState } from '@ketrew/engine';
import type { ApiNode, NodeListResponse } from '../src/client/api-types.js';

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
      const { child, stdout, stderr } = startKetrew(this, args, options);
      child.on('error', reject);
      child.on('close', (code) =>
        resolve({ code: code ?? -1, stdout: stdout(), stderr: stderr() }),
      );
    });
  }

  /**
   * `ketrew init --port <a free port> ARGS` (HOME made first); throws with its stderr when it
   * fails. Resolves with the port.
   */
  async initOnFreePort(args: readonly string[] = []): Promise<number> {
    mkdirSync(this.home, { recursive: true });
    const port = await freePort();
    const init = await this.run(['init', '--port', String(port), ...args]);
    if (init.code !== 0) throw new Error(init.stderr);
    return port;
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

/** A node's state kind, or the state it finished from (`verified-success`, `killed`, …). */
export function endKind(node: { readonly state: NodeState }): string {
  return node.state.kind === 'finished' ? node.state.from : node.state.kind;
}

/** Every node of one submission, through `ketrew list --workflow ID --json`. */
export async function workflowNodes(
  sandbox: KetrewSandbox,
  workflowId: string,
): Promise<readonly ApiNode[]> {
  const page = await sandbox.json<NodeListResponse>([
    'list',
    '--workflow',
    workflowId,
    '--limit',
    '1000',
  ]);
  return page.nodes;
}

/**
 * Poll `ketrew list --workflow ID --json` until each node, by name, has the expected state: a
 * state kind, or `finished/<kind>` for a node that finished from that state. Fails after
 * `timeoutMs` naming what differed at the last look.
 */
export async function untilWorkflowStates(
  sandbox: KetrewSandbox,
  workflowId: string,
  expected: Readonly<Record<string, string>>,
  timeoutMs = 120_000,
): Promise<readonly ApiNode[]> {
  let last = 'nothing read yet';
  const wanted = JSON.stringify(sortedEntries(expected));
  try {
    return await eventually(
      `workflow ${workflowId} to reach its end states`,
      async () => {
        const nodes = await workflowNodes(sandbox, workflowId);
        const actual = Object.fromEntries(
          nodes.map((n) => [
            n.spec.name,
            n.state.kind === 'finished' ? `finished/${n.state.from}` : n.state.kind,
          ]),
        );
        last = JSON.stringify(sortedEntries(actual));
        return last === wanted && nodes.length === Object.keys(expected).length ? nodes : undefined;
      },
      timeoutMs,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n  expected ${wanted}\n  last seen ${last}`);
  }
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/** The pid in the profile's pid file (`ketrew-server.pid` under $KETREW_ROOT). */
export function serverPid(sandbox: KetrewSandbox): number {
  return Number(readFileSync(join(sandbox.root, 'ketrew-server.pid'), 'utf8').trim());
}

/** Change the server part of the `default` profile of the sandbox's configuration file. */
export function patchServerConfiguration(
  sandbox: KetrewSandbox,
  patch: (server: Record<string, unknown>) => void,
): void {
  const path = join(sandbox.root, 'configuration.json');
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    profiles: Record<string, { server: Record<string, unknown> }>;
  };
  const profile = file.profiles['default'];
  if (profile === undefined) throw new Error(`no default profile in ${path}`);
  patch(profile.server);
  writeFileSync(path, JSON.stringify(file, null, 2));
}

/** A `ketrew` process left running (e.g. a foreground `start-server`), its output collected. */
export interface KetrewProcess {
  readonly pid: number;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or -1 when killed by a signal). */
  readonly exited: Promise<number>;
}

/** Start `ketrew ARGS` in the sandbox and return at once. */
export function spawnKetrew(
  sandbox: KetrewSandbox,
  args: readonly string[],
  options: { readonly env?: Record<string, string> } = {},
): KetrewProcess {
  const { child, stdout, stderr } = startKetrew(sandbox, args, options);
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  if (child.pid === undefined) throw new Error(`could not start ketrew ${args.join(' ')}`);
  return { pid: child.pid, stdout, stderr, exited };
}

/** The `ketrew` process of `run` and `spawnKetrew`, its outputs collected as they come. */
function startKetrew(
  sandbox: KetrewSandbox,
  args: readonly string[],
  options: { readonly cwd?: string | undefined; readonly env?: Record<string, string> | undefined },
): {
  child: ChildProcessByStdio<null, Readable, Readable>;
  stdout: () => string;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [KETREW_BIN, ...args], {
    cwd: options.cwd ?? sandbox.directory,
    env: sandbox.env(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}
