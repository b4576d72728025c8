import { spawn } from 'node:child_process';
import type { RunResult } from '@ketrew/engine';

export interface LocalProcessOptions {
  readonly timeoutMs?: number | undefined;
  readonly stdin?: string | undefined;
  readonly cwd?: string | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/**
 * Run an argv to completion on this machine (no shell), in a process group of its own so that a
 * timeout kills the command and everything it started (SIGKILL to the group).
 *
 * A program that cannot be executed is reported the way a shell reports it, not thrown: exit code
 * 127 when it is not found, 126 when it is not executable, with the reason on stderr. So local
 * and SSH transports (where the remote shell answers 127) behave alike.
 */
export function runLocalProcess(
  argv: readonly string[],
  options: LocalProcessOptions,
): Promise<RunResult> {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error('empty argv');
  return new Promise((resolve) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env === undefined ? undefined : { ...process.env, ...options.env },
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    let timedOut = false;
    let exited: { code: number | null; signal: string | null } | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const finish = (result: RunResult): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      resolve(result);
    };
    const collected = (): { stdout: string; stderr: string } => ({
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    });
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone.
      }
    };

    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // an I/O error after spawning; 'close' still comes
      const code = error.code === 'ENOENT' ? 127 : 126;
      const why = error.code === 'ENOENT' ? 'command not found' : (error.code ?? error.message);
      finish({
        exitCode: code,
        signal: null,
        timedOut: false,
        stdout: '',
        stderr: `${program}: ${why}\n`,
      });
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
    });
    child.on('close', (code, signal) => {
      finish({
        exitCode: timedOut ? null : code,
        signal: timedOut ? 'SIGKILL' : signal,
        timedOut,
        ...collected(),
      });
    });
    if (options.stdin !== undefined && child.stdin !== null) {
      child.stdin.on('error', () => {
        // EPIPE: the command exited without reading all its input; its exit code says the rest.
      });
      child.stdin.end(options.stdin);
    }
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = exited === null;
        killGroup();
        // Processes that left the group may hold the pipes open: do not wait for them.
        child.stdout?.destroy();
        child.stderr?.destroy();
        if (exited !== null) {
          finish({ exitCode: exited.code, signal: exited.signal, timedOut: false, ...collected() });
        }
      }, options.timeoutMs);
    }
  });
}
