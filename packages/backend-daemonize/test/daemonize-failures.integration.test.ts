import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BackendError } from '@ketrew/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { daemonizeFixture, daemonizeRun, settle } from './daemonize-fixture.js';
import { liveGroupMembers, localHost, waitFor } from './helpers.js';

let fixture: Awaited<ReturnType<typeof daemonizeFixture>>;
beforeEach(async () => {
  fixture = await daemonizeFixture();
});
afterEach(async () => {
  await fixture.cleanup();
});

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

/** Wait until the job's group has a process besides the script (its command runs). */
async function commandRuns(pid: number): Promise<void> {
  // A member that is not bash: the command has been exec'd. A signal that lands between bash's
  // fork and the exec can be lost (docs/daemonize.md), which would leave these tests hanging.
  await waitFor('the command to run', async () => {
    for (const member of await liveGroupMembers(pid)) {
      if (member === pid) continue;
      const comm = await readFile(`/proc/${member}/comm`, 'utf8').catch(() => 'bash\n');
      if (comm.trim() !== 'bash') return true;
    }
    return false;
  });
}

describe('daemonize: every way a job can fail ends with the right reason', () => {
  it('a non-zero exit → non-zero-exit with the code and the command', async () => {
    const backend = fixture.backend();
    const run = await backend.start(
      fixture.job({
        kind: 'and',
        programs: [
          { kind: 'sh', command: 'true' },
          { kind: 'sh', command: 'echo x; exit 3' },
        ],
      }),
    );
    expect(await settle(backend, run)).toEqual({
      kind: 'failed',
      reason: { kind: 'non-zero-exit', code: 3, command: 'echo x; exit 3' },
    });
  });

  it('a command that does not exist → non-zero-exit(127)', async () => {
    const backend = fixture.backend();
    const run = await backend.start(
      fixture.job({ kind: 'exec', argv: ['ketrew-no-such-command-xyz', '--help'] }),
    );
    const outcome = await settle(backend, run);
    expect(outcome).toMatchObject({ kind: 'failed', reason: { kind: 'non-zero-exit', code: 127 } });
    const stderr = await backend.logs(run, { stream: 'stderr' });
    expect(stderr.content).toMatch(/ketrew-no-such-command-xyz/);
  });

  it('killed by a signal from outside (TERM to its group) → killed', async () => {
    const backend = fixture.backend();
    const run = await backend.start(fixture.job('sleep 1000; echo never'));
    const { pid } = daemonizeRun(run);
    await commandRuns(pid);
    process.kill(-pid, 'SIGTERM');
    expect(await settle(backend, run)).toEqual({
      kind: 'failed',
      reason: { kind: 'killed', message: 'the job received SIGTERM' },
    });
  });

  it('vanished without a success record (kill -9 of its group) → lost', async () => {
    const backend = fixture.backend();
    const run = await backend.start(fixture.job('sleep 1000'));
    const { pid } = daemonizeRun(run);
    await commandRuns(pid);
    process.kill(-pid, 'SIGKILL');
    const outcome = await settle(backend, run);
    expect(outcome.kind).toBe('lost');
    expect(outcome.kind === 'lost' && outcome.message).toMatch(/without a success or failure/);
  });

  it('its playground deleted → lost, naming the playground', async () => {
    const backend = fixture.backend();
    // The job runs a while first: deleting the playground at once can remove the pid file before
    // the start has read it (a start failure, not the loss this test is about).
    const run = await backend.start(fixture.job('sleep 3; rm -rf "$PWD"'));
    const outcome = await settle(backend, run);
    expect(outcome).toEqual({
      kind: 'lost',
      message: `the playground ${daemonizeRun(run).playground} disappeared`,
    });
  });

  it('never writes its pid within the starting timeout → fatal start error', async () => {
    // A host whose shell finds no program: the launcher runs, `nohup` is not found, so the
    // script never starts: what a host without nohup/setsid does for real.
    const host = localHost({
      name: 'no-tools',
      playground: fixture.root,
      shell: ['env', 'PATH=/nonexistent', '/bin/sh', '-c'],
    });
    const backend = fixture.backend();
    const ctx = fixture.job('echo should not run > ran', { host, startingTimeout: 1 });
    const error = await rejection(backend.start(ctx));
    const playground = join(fixture.root, ctx.nodeId, '1');
    expect(error.recoverable).toBe(false);
    expect(error.message).toContain(`wrote no pid in ${playground} within 1 s`);
    expect(error.message).toMatch(/nohup.*not found/);
    expect(existsSync(join(playground, 'abandoned'))).toBe(true);
    expect(existsSync(join(playground, 'ran'))).toBe(false);
  });

  it('a playground that cannot be created → fatal error naming the path', async () => {
    const file = join(fixture.root, 'a-file');
    await writeFile(file, '');
    for (const root of [file, '/proc/ketrew-test']) {
      const host = localHost({ name: root, playground: root });
      const ctx = fixture.job('true', { host });
      const error = await rejection(fixture.backend().start(ctx));
      expect(error.recoverable).toBe(false);
      expect(error.message).toContain(`cannot create the playground ${root}/${ctx.nodeId}/1`);
    }
  });

  it('refuses to start over a playground whose job still runs', async () => {
    const backend = fixture.backend();
    const ctx = fixture.job('sleep 1000');
    const run = await backend.start(ctx);
    const error = await rejection(backend.start(ctx));
    expect(error.recoverable).toBe(false);
    expect(error.message).toMatch(/still running/);
    expect((await backend.poll([run]))[0]?.kind).toBe('running');
    await backend.kill(run);
  });

  it('starts afresh over the playground of an attempt that never launched', async () => {
    const backend = fixture.backend();
    const ctx = fixture.job('echo again');
    const first = await backend.start(ctx);
    await settle(backend, first);
    const second = await backend.start(ctx);
    expect(await settle(backend, second)).toEqual({ kind: 'succeeded' });
    const log = await backend.logs(second, { stream: 'log' });
    expect(log.content.match(/\tstart\n/g)).toHaveLength(1);
    expect((await backend.logs(second, { stream: 'stdout' })).content).toBe('again\n');
  });

  it('refuses a run state that is not its own, without spoiling the others', async () => {
    const backend = fixture.backend();
    const good = await backend.start(fixture.job('true'));
    await settle(backend, good);
    const outcomes = await backend.poll([{ pid: 1 }, good, { ...good, pid: 1 }]);
    expect(outcomes.map((o) => o.kind)).toEqual(['error', 'succeeded', 'error']);
    expect(outcomes[0]).toMatchObject({ recoverable: false, message: /not a daemonize run state/ });
    await expect(backend.kill({ ...good, pid: 1 })).rejects.toThrow(/pid is not an integer ≥ 2/);
  });

  it('refuses a build process that is not daemonize', async () => {
    const backend = fixture.backend();
    expect(backend.validate?.({ backend: 'daemonize' } as never)).toEqual([
      expect.stringMatching(/program/),
    ]);
    const ctx = fixture.job('true');
    const error = await rejection(
      backend.start({ ...ctx, node: { ...ctx.node, make: { backend: 'no-operation' } } }),
    );
    expect(error.recoverable).toBe(false);
  });
});
