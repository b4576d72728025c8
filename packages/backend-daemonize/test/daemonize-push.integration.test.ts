import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunState } from '@ketrew/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDaemonizeBackend, type DaemonizeBackend } from '../src/index.js';
import { CountingLocalTransport, daemonizeFixture, daemonizeRun } from './daemonize-fixture.js';
import { processState, waitFor } from './helpers.js';

// Push and cheap polls (docs/daemonize.md#polling): local jobs announce their end in the
// notify directory, the backend hints its watchers, polls read logs and run `ps` at most once
// per liveness interval, jobs start through the persistent launcher.

let fixture: Awaited<ReturnType<typeof daemonizeFixture>>;
let transport: CountingLocalTransport;
let backends: DaemonizeBackend[];
beforeEach(async () => {
  fixture = await daemonizeFixture();
  transport = new CountingLocalTransport({ host: fixture.host });
  backends = [];
});
afterEach(async () => {
  for (const backend of backends) await backend.close?.();
  await fixture.cleanup();
});

const WAIT_FOR_GO = 'while [ ! -e go ]; do sleep 0.05; done; echo done';
const go = (run: RunState) => writeFile(join(daemonizeRun(run).playground, 'go'), '');

function backendWith(options: Parameters<typeof createDaemonizeBackend>[0]): DaemonizeBackend {
  const backend = createDaemonizeBackend({ transports: () => transport, ...options });
  backends.push(backend);
  return backend;
}

describe('daemonize: push and cheap polls', () => {
  it('hints when a local job ends, and sees it ended from its log, without ps', async () => {
    const notifyDirectory = join(fixture.root, 'notify');
    const backend = backendWith({ notifyDirectory, livenessCheckIntervalMs: 3_600_000 });
    let hints = 0;
    const stop = backend.watchActivity(() => (hints += 1));
    const run = await backend.start(fixture.job(WAIT_FOR_GO));
    expect(transport.programs).toEqual([]); // started through the persistent launcher
    expect(await backend.poll([run])).toEqual([{ kind: 'running' }]); // the first liveness check
    expect(await backend.poll([run])).toEqual([{ kind: 'running' }]);
    expect(transport.programs).toEqual(['ps']);
    expect(hints).toBe(0);
    await go(run);
    await waitFor('a hint', () => hints > 0);
    expect(await backend.poll([run])).toEqual([{ kind: 'succeeded' }]);
    expect(await backend.poll([run])).toEqual([{ kind: 'succeeded' }]); // asked again: same
    expect(transport.programs).toEqual(['ps']);
    // The notify file is consumed (removed without holding up the poll's answer).
    await waitFor(
      'the notify file to go',
      async () => (await readdir(notifyDirectory)).length === 0,
    );
    stop();
  });

  it('runs ps at most once per liveness interval, and still sees a job killed by SIGKILL', async () => {
    let now = 1_000_000;
    const backend = backendWith({ livenessCheckIntervalMs: 60_000, now: () => now });
    const run = await backend.start(fixture.job('sleep 600'));
    expect(await backend.poll([run])).toEqual([{ kind: 'running' }]);
    const { pid } = daemonizeRun(run);
    process.kill(-pid, 'SIGKILL');
    await waitFor('the job to die', async () => (await processState(pid)) !== 'alive');
    expect(await backend.poll([run])).toEqual([{ kind: 'running' }]); // no check due yet
    expect(transport.programs).toEqual(['ps']);
    now += 60_000;
    expect(await backend.poll([run])).toMatchObject([{ kind: 'lost' }]);
    expect(transport.programs).toEqual(['ps', 'ps']);
  });

  it('reads every local log at every poll when there is no notify directory', async () => {
    const backend = backendWith({ notifyDirectory: null, livenessCheckIntervalMs: 3_600_000 });
    let hints = 0;
    backend.watchActivity(() => (hints += 1));
    const run = await backend.start(fixture.job(WAIT_FOR_GO));
    expect(await backend.poll([run])).toEqual([{ kind: 'running' }]); // the liveness check
    await go(run);
    await waitFor('the job to end', async () => (await backend.poll([run]))[0]?.kind !== 'running');
    expect(await backend.poll([run])).toEqual([{ kind: 'succeeded' }]);
    expect(hints).toBe(0);
    expect(transport.programs).toEqual(['ps']);
  });

  it('starts jobs through a new launcher when the old one died; its jobs live on', async () => {
    const backend = backendWith({});
    const settle = (run: RunState) =>
      waitFor('the job to end', async () => (await backend.poll([run]))[0]?.kind === 'succeeded');
    const first = await backend.start(fixture.job(WAIT_FOR_GO));
    const launcher = await parentOf(daemonizeRun(first).pid);
    process.kill(launcher, 'SIGKILL');
    await waitFor('the launcher to die', async () => (await processState(launcher)) !== 'alive');
    const second = await backend.start(fixture.job(WAIT_FOR_GO));
    expect(await parentOf(daemonizeRun(second).pid)).not.toBe(launcher);
    expect(await processState(daemonizeRun(first).pid)).toBe('alive');
    await Promise.all([go(first), go(second)]);
    await settle(first);
    await settle(second);
    expect(transport.programs.filter((p) => p !== 'ps')).toEqual([]);
  });
});

describe('daemonize: warm spares', () => {
  it('runs a job in a spare: its own session, the same files and outcome, killable', async () => {
    const backend = backendWith({ warmSpares: 1 });
    const first = await backend.start(fixture.job('echo first'));
    const second = await waitForSpareStart(backend, 'echo second; sleep 600');
    const { pid } = daemonizeRun(second);
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const [, , pgid, sid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect([Number(pgid), Number(sid)]).toEqual([pid, pid]);
    await waitFor('the echo', async () =>
      (await backend.logs(second, { stream: 'stdout' })).content.includes('second'),
    );
    await backend.kill(second);
    const [outcome] = await backend.poll([second]);
    expect(outcome).toMatchObject({ kind: 'failed', reason: { kind: 'killed' } });
    expect((await backend.logs(second, { stream: 'stdout' })).content).toBe('second\n');
    await waitFor(
      'the first job',
      async () => (await backend.poll([first]))[0]?.kind !== 'running',
    );
    expect(transport.programs.filter((p) => p !== 'ps' && p !== 'kill')).toEqual([]);
  });
});

describe('daemonize: warm spares, FIFOs used again', () => {
  it('runs job after job in spares whose FIFOs serve again, each job in its own session', async () => {
    const backend = backendWith({ warmSpares: 1 });
    const fifos: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const run = await waitForSpareStart(backend, `echo job-${i}; sleep 600`);
      const { pid } = daemonizeRun(run);
      const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      fifos.push(args[args.indexOf('ketrew-spare') + 1] ?? '');
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const [, , pgid, sid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      expect([Number(pgid), Number(sid)]).toEqual([pid, pid]);
      await waitFor(`job ${i}'s echo`, async () =>
        (await backend.logs(run, { stream: 'stdout' })).content.includes(`job-${i}`),
      );
      await backend.kill(run);
      expect((await backend.logs(run, { stream: 'stdout' })).content).toBe(`job-${i}\n`);
    }
    expect(fifos.every((fifo) => fifo.includes('ketrew-spares-'))).toBe(true);
    // One spare at a time: its FIFO goes back to the pool once its job started, so a few FIFOs
    // serve all the jobs (one per job before).
    expect(new Set(fifos).size).toBeLessThan(fifos.length);
  });
});

/** Start jobs until one runs in a spare (the first spare is made in the background). */
async function waitForSpareStart(backend: DaemonizeBackend, command: string): Promise<RunState> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const run = await backend.start(fixture.job(command));
    const cmdline = await readFile(`/proc/${daemonizeRun(run).pid}/cmdline`, 'utf8');
    if (cmdline.includes('ketrew-spare')) return run;
    await backend.kill(run);
  }
  throw new Error('no job ran in a spare');
}

/** The parent pid of a live process (a job's launcher, until the launcher dies). */
async function parentOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}
