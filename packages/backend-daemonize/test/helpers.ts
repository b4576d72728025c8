import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '@ketrew/edsl';

/** A localhost host as the wire format's validation fills it in. */
export function localHost(overrides: Partial<Host> = {}): Host {
  return {
    name: 'localhost',
    connection: { kind: 'localhost' },
    playground: null,
    shell: ['sh', '-c'],
    timeout: null,
    ...overrides,
  };
}

/** A fresh temporary directory, removed by the returned `cleanup`. */
export async function temporaryDirectory(): Promise<{
  path: string;
  cleanup: () => Promise<void>;
}> {
  const path = await mkdtemp(join(tmpdir(), 'ketrew-daemonize-test-'));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A process as the kernel sees it: `gone`, `zombie` (exited, never reaped: PID 1 does not reap
 * orphans on this machine), or `alive`. Reads /proc, so Linux only, like these tests.
 */
export async function processState(pid: number): Promise<'alive' | 'zombie' | 'gone'> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X' ? 'zombie' : 'alive';
  } catch {
    return 'gone';
  }
}

/** Pids of the live (non-zombie) processes whose process group is `pgid`. */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const members: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z' && fields[0] !== 'X' && Number(fields[2]) === pgid) {
        members.push(Number(entry));
      }
    } catch {
      // the process ended while we looked
    }
  }
  return members;
}

/** Poll `check` every 50 ms until it returns true; fail after `timeoutMs` (generous). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Kill (SIGKILL) every job group whose pid file lies in `<root>/<node>/<attempt>/pid`, so that
 * a failed test leaves no process behind. Only groups led by a pid read from our own files.
 */
export async function killJobsUnder(root: string): Promise<void> {
  const { readdir } = await import('node:fs/promises');
  const nodes = await readdir(root).catch(() => [] as string[]);
  for (const node of nodes) {
    const attempts = await readdir(join(root, node)).catch(() => [] as string[]);
    for (const attempt of attempts) {
      const content = await readFile(join(root, node, attempt, 'pid'), 'utf8').catch(() => '');
      const pid = Number(content.trim());
      if (Number.isInteger(pid) && pid > 1) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}
