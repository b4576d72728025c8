import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunState } from '@ketrew/engine';
import { TransportError, UnsupportedOperationError } from '@ketrew/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LocalTransport,
  createDaemonizeBackend,
  createLocalTransportProvider,
  parseDaemonizeRunState,
} from '../src/index.js';
import {
  RecordingTransport,
  daemonizeFixture,
  daemonizeRun,
  recordingProvider,
  settle,
} from './daemonize-fixture.js';
import { liveGroupMembers, localHost, processState, waitFor } from './helpers.js';

let fixture: Awaited<ReturnType<typeof daemonizeFixture>>;
beforeEach(async () => {
  fixture = await daemonizeFixture();
});
afterEach(async () => {
  await fixture.cleanup();
});

/** A command that waits until the file `go` appears in its playground, then echoes `done`. */
const WAIT_FOR_GO = 'while [ ! -e go ]; do sleep 0.05; done; echo done';
const go = (run: RunState) => writeFile(join(daemonizeRun(run).playground, 'go'), '');

describe('daemonize: detached jobs', () => {
  it('a job survives the death of the process that started it', async () => {
    const starter = fileURLToPath(new URL('./fixtures/start-detached-job.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=@ketrew/source', '--import', 'tsx', starter, fixture.root, WAIT_FOR_GO],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise((resolve) => child.on('exit', resolve));
    expect(exitCode).toBe(0);
    const run = JSON.parse(output) as RunState;
    const state = parseDaemonizeRunState(run);
    expect(await processState(child.pid ?? 0)).toBe('gone');
    const backend = fixture.backend();
    expect(await backend.poll([run])).toEqual([{ kind: 'running' }]);
    const status = await readFile(`/proc/${state.pid}/stat`, 'utf8');
    const [, ppid, pgid, sid] = status.slice(status.lastIndexOf(')') + 2).split(' ');
    expect(Number(pgid)).toBe(state.pid);
    expect(Number(sid)).toBe(state.pid);
    expect(Number(ppid)).not.toBe(process.pid);
    await go(run);
    expect(await settle(backend, run)).toEqual({ kind: 'succeeded' });
    expect((await backend.logs(run, { stream: 'stdout' })).content).toBe('done\n');
  });

  it('python-daemon mode: a double-forked job in its own session and group', async () => {
    const backend = fixture.backend();
    const run = await backend.start(fixture.job(WAIT_FOR_GO, { using: 'python-daemon' }));
    const { pid, using } = daemonizeRun(run);
    expect(using).toBe('python-daemon');
    const status = await readFile(`/proc/${pid}/stat`, 'utf8');
    const [, , pgid] = status.slice(status.lastIndexOf(')') + 2).split(' ');
    expect(Number(pgid)).toBe(pid);
    expect(await backend.poll([run])).toEqual([{ kind: 'running' }]);
    await go(run);
    expect(await settle(backend, run)).toEqual({ kind: 'succeeded' });
    expect((await backend.logs(run, { stream: 'stdout' })).content).toBe('done\n');
  });

  it('works in a playground whose path has spaces, quotes and $, in both modes', async () => {
    const root = join(fixture.root, `it's a "dir" $HOME \`x\``);
    const host = localHost({ name: root, playground: root });
    for (const using of ['nohup-setsid', 'python-daemon'] as const) {
      const backend = fixture.backend();
      const run = await backend.start(fixture.job('echo ok; pwd', { host, using }));
      expect(await settle(backend, run)).toEqual({ kind: 'succeeded' });
      const { playground } = daemonizeRun(run);
      expect(playground.startsWith(root)).toBe(true);
      expect((await backend.logs(run, { stream: 'stdout' })).content).toBe(`ok\n${playground}\n`);
    }
  });

  it('polls N jobs of one machine with one ps at most, whatever their host names', async () => {
    const { provider, byHost } = recordingProvider();
    // A liveness check (ps) at every poll, to count them.
    const backend = createDaemonizeBackend({ transports: provider, livenessCheckIntervalMs: 0 });
    const other = localHost({ name: 'same-machine', playground: fixture.root });
    const runs: RunState[] = [];
    for (let i = 0; i < 6; i += 1) {
      const host = i % 2 === 0 ? fixture.host : other;
      runs.push(await backend.start(fixture.job(WAIT_FOR_GO, { host })));
    }
    const transports = [...byHost.values()];
    expect(transports).toHaveLength(2);
    /** What the transports run during `action`. */
    const commandsDuring = async (action: () => Promise<unknown>): Promise<string[]> => {
      const before = transports.map((t) => t.commands.length);
      await action();
      return transports.flatMap((t, i) => t.programs().slice(before[i]));
    };
    const polled = await commandsDuring(async () => {
      expect((await backend.poll(runs)).map((o) => o.kind)).toEqual(Array(6).fill('running'));
    });
    expect(polled).toEqual(['ps']);
    await Promise.all(runs.map(go));
    await waitFor('every job to end', async () =>
      (await backend.poll(runs)).every((o) => o.kind === 'succeeded'),
    );
    // Their logs say they ended: no ps is needed.
    expect(await commandsDuring(() => backend.poll(runs))).toEqual([]);
  });

  it('a host that cannot be reached gives recoverable errors for its runs only', async () => {
    const flaky = new RecordingTransport(new LocalTransport({ host: fixture.host }));
    flaky.failRuns = new TransportError('connection reset', { recoverable: true });
    const local = createLocalTransportProvider();
    const backend = createDaemonizeBackend({
      transports: (host) => (host.name === 'flaky' ? flaky : local(host)),
    });
    const remote = localHost({
      name: 'flaky',
      connection: { kind: 'ssh', address: 'flaky', port: null, user: null, sshOptions: [] },
      playground: fixture.root,
    });
    const here = await backend.start(fixture.job('true'));
    await settle(backend, here);
    const outcomes = await backend.poll([{ ...here, host: remote }, here]);
    expect(outcomes[0]).toMatchObject({ kind: 'error', recoverable: true });
    expect(outcomes[0]?.kind === 'error' && outcomes[0].message).toMatch(/connection reset/);
    expect(outcomes[1]).toEqual({ kind: 'succeeded' });
    expect(flaky.programs()).toEqual(['ps']);
  });
});

describe('daemonize: kill', () => {
  it('kills the whole process group, children included', async () => {
    const backend = fixture.backend();
    const run = await backend.start(fixture.job('sleep 1000 & sleep 1000 & sleep 1000; wait'));
    const { pid } = daemonizeRun(run);
    await waitFor('the children', async () => (await liveGroupMembers(pid)).length >= 4);
    await backend.kill(run);
    expect(await liveGroupMembers(pid)).toEqual([]);
    expect(await settle(backend, run)).toEqual({
      kind: 'failed',
      reason: { kind: 'killed', message: 'the job received SIGTERM' },
    });
  });

  it('escalates to SIGKILL for processes that ignore SIGTERM', async () => {
    const backend = fixture.backend({ killGracePeriodMs: 300 });
    const run = await backend.start(fixture.job(`(trap '' TERM; sleep 1000) & wait`));
    const { pid } = daemonizeRun(run);
    await waitFor('the child', async () => (await liveGroupMembers(pid)).length >= 2);
    await backend.kill(run);
    expect(await liveGroupMembers(pid)).toEqual([]);
    // The script traps TERM and logs `killed`, unless a loaded machine delays its trap past the
    // short grace period: then SIGKILL ends it first and the run is lost. Both are right here.
    const outcome = await settle(backend, run);
    expect(
      outcome.kind === 'lost' || (outcome.kind === 'failed' && outcome.reason.kind === 'killed'),
    ).toBe(true);
  });

  it('killing a job that already ended succeeds, twice', async () => {
    const backend = fixture.backend();
    const run = await backend.start(fixture.job('true'));
    await settle(backend, run);
    await backend.kill(run);
    await backend.kill(run);
    expect(await settle(backend, run)).toEqual({ kind: 'succeeded' });
  });
});

describe('daemonize: find, logs, queries', () => {
  it('find gives back the run of a job name, null for another name or attempt', async () => {
    const backend = fixture.backend();
    const ctx = fixture.job(WAIT_FOR_GO);
    const run = await backend.start(ctx);
    const found = await fixture.backend().find(ctx.jobName, ctx.node.make, ctx.node);
    expect(found).toEqual({ ...run, startedAt: expect.any(Number) });
    expect(await backend.find(`${ctx.jobName}x`, ctx.node.make, ctx.node)).toBeNull();
    expect(await backend.find('ketrew-other-a1', ctx.node.make, ctx.node)).toBeNull();
    expect(
      await backend.find(ctx.jobName.replace(/a1$/, 'a2'), ctx.node.make, ctx.node),
    ).toBeNull();
    await go(run);
    await settle(backend, found as RunState);
  });

  it('logs read each stream from a byte offset, whole characters only', async () => {
    const backend = fixture.backend();
    const run = await backend.start(fixture.job(`printf 'héllo\\n'; echo oops >&2`));
    await settle(backend, run);
    expect(await backend.logs(run, { stream: 'stdout' })).toEqual({
      content: 'héllo\n',
      nextOffset: 7,
    });
    expect(await backend.logs(run, { stream: 'stdout', offset: 0, length: 2 })).toEqual({
      content: 'h',
      nextOffset: 1,
    });
    expect(await backend.logs(run, { stream: 'stdout', offset: 1, length: 2 })).toEqual({
      content: 'é',
      nextOffset: 3,
    });
    expect((await backend.logs(run, { stream: 'stderr' })).content).toBe('oops\n');
    expect((await backend.logs(run, { stream: 'log' })).content).toMatch(/\tsuccess\n$/);
    expect((await backend.logs(run, { stream: 'script' })).content).toMatch(
      /^#!\/usr\/bin\/env bash/,
    );
  });

  it('queries list the files and the process group', async () => {
    const backend = fixture.backend();
    const run = await backend.start(fixture.job(WAIT_FOR_GO));
    const names = (await backend.queries(run)).map((q) => q.name);
    expect(names).toEqual(['stdout', 'stderr', 'log', 'script', 'check-process']);
    const { pid } = daemonizeRun(run);
    const processes = await backend.query(run, 'check-process');
    expect(processes).toMatch(/PID\s+PGID/);
    expect(processes).toContain(`bash ${daemonizeRun(run).playground}/monitored_script`);
    expect(
      processes.split('\n').filter((l) => l.trim().split(/\s+/)[1] === String(pid)).length,
    ).toBeGreaterThanOrEqual(1);
    await go(run);
    await settle(backend, run);
    expect(await backend.query(run, 'stdout')).toBe('done\n');
    expect(await backend.query(run, 'log')).toMatch(/\tbefore-cmd\tcmd-1\twhile/);
    expect(await backend.query(run, 'check-process')).toMatch(/^No live process of group/);
    await expect(backend.query(run, 'toString')).rejects.toBeInstanceOf(UnsupportedOperationError);
  });
});
