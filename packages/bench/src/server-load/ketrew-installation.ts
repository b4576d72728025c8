import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// A Ketrew installation made the way a user makes one, with the real `ketrew` binary of this
// repository (packages/cli/bin/ketrew.js, which runs the CLI's sources): `ketrew init` in a
// fresh KETREW_ROOT, the profile's engine settings edited in configuration.json,
// `ketrew start-server --daemonize`, `ketrew submit`, `ketrew stop-server`.

const KETREW_BIN = fileURLToPath(new URL('../../../cli/bin/ketrew.js', import.meta.url));
const run = promisify(execFile);

export interface KetrewInstallation {
  readonly root: string;
  readonly url: string;
  readonly token: string;
  /**
   * Run `ketrew ARGS…` against this installation; answers its stdout (throws on failure).
   * `nodeArguments` go to node before the script (e.g. `--cpu-prof`): `start-server --daemonize`
   * starts the server with its own node arguments, so they reach the server too.
   */
  ketrew(
    args: readonly string[],
    options?: { readonly timeoutMs?: number; readonly nodeArguments?: readonly string[] },
  ): Promise<string>;
  /** The pid of the running server (from its pid file). */
  serverPid(): number;
}

/** A TCP port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * `ketrew init` in `root` (a new, empty directory) with a known token, a free port and the
 * given database, then `engine.concurrency` written into the profile's server part.
 */
export async function initKetrew(
  root: string,
  settings: { readonly database: string; readonly concurrency: number },
): Promise<KetrewInstallation> {
  const token = `server-load-bench-${process.pid}-${Date.now()}`;
  const port = await freePort();
  const ketrew: KetrewInstallation['ketrew'] = async (args, options = {}) => {
    const env = { ...process.env, KETREW_ROOT: root, NO_COLOR: '1' };
    try {
      const { stdout } = await run(
        process.execPath,
        [...(options.nodeArguments ?? []), KETREW_BIN, ...args],
        {
          env,
          cwd: root,
          timeout: options.timeoutMs ?? 120_000,
          maxBuffer: 256 * 1024 * 1024,
        },
      );
      return stdout;
    } catch (error) {
      const { stderr, code } = error as { stderr?: string; code?: number | string };
      throw new Error(`ketrew ${args[0] ?? ''} failed (${code ?? '?'}): ${stderr ?? ''}`.trim(), {
        cause: error,
      });
    }
  };
  const database = settings.database === 'sqlite' ? [] : ['--database', settings.database];
  await ketrew(['init', '--port', String(port), '--with-token', token, ...database]);
  const file = join(root, 'configuration.json');
  const configuration = JSON.parse(readFileSync(file, 'utf8')) as {
    profiles: { default: { server: Record<string, unknown> } };
  };
  configuration.profiles.default.server['engine'] = { concurrency: settings.concurrency };
  writeFileSync(file, `${JSON.stringify(configuration, null, 2)}\n`, { mode: 0o600 });
  return {
    root,
    url: `http://127.0.0.1:${port}`,
    token,
    ketrew,
    serverPid: () => {
      const pid = Number(readFileSync(join(root, 'ketrew-server.pid'), 'utf8').trim());
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bad pid file in ${root}`);
      return pid;
    },
  };
}

/**
 * CPU time (user + system) and resident memory of a process, from /proc (Linux); `null` when
 * the process is gone (or a zombie) or /proc is missing.
 */
export function processUsage(pid: number): { cpuMs: number; rssMb: number } | null {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie (exited, not yet reaped: PID 1 here reaps no orphans) is gone for our purpose.
    if (fields[0] === 'Z' || fields[0] === 'X') return null;
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    // The kernel's USER_HZ is 100 on Linux whatever the timer frequency.
    return { cpuMs: ticks * 10, rssMb: Math.round(rssKb / 1024) };
  } catch {
    return null;
  }
}
