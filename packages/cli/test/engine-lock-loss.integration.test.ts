import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ENGINE_LOCK } from '@ketrew/store-postgres';
import { DEFAULT_POSTGRES_BIN, startPostgresCluster, type PostgresCluster } from '@ketrew/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubmitResponse } from '../src/client/api-types.js';
import { isProcessAlive } from '../src/server/server-process.js';
import {
  eventually,
  KetrewSandbox,
  spawnKetrew,
  untilWorkflowStates,
  type KetrewProcess,
} from './e2e-harness.js';

/*
 * A server on PostgreSQL that loses its engine lock (the lock's connection is ended with
 * pg_terminate_backend, as a database restart or a network cut would) stops its engine at once
 * and exits with code 1, saying why; a second server on the same database, API-only until then,
 * takes the engine over, and the job that was running when the lock was lost ends once.
 */

const run = promisify(execFile);
const leader = new KetrewSandbox();
const follower = new KetrewSandbox();
let cluster: PostgresCluster;
let database: string;
let foreground: KetrewProcess | undefined;

/** End the connection holding the engine lock; returns how many connections were ended. */
async function terminateEngineLockConnection(): Promise<number> {
  const psql = join(process.env['KETREW_POSTGRES_BIN'] ?? DEFAULT_POSTGRES_BIN, 'psql');
  const { stdout } = await run(psql, [
    '-X',
    '-A',
    '-t',
    '-d',
    database,
    '-c',
    `select count(pg_terminate_backend(pid)) from pg_locks
      where locktype = 'advisory' and granted and objid = ${ENGINE_LOCK} and objsubid = 2
        and database = (select oid from pg_database where datname = current_database())`,
  ]);
  return Number(stdout.trim());
}

beforeAll(async () => {
  cluster = await startPostgresCluster();
  database = await cluster.createDatabase('lock_loss');
  for (const sandbox of [leader, follower]) await sandbox.initOnFreePort(['--database', database]);
}, 120_000);

afterAll(async () => {
  if (foreground !== undefined && isProcessAlive(foreground.pid)) {
    process.kill(foreground.pid, 'SIGKILL');
  }
  for (const sandbox of [leader, follower]) {
    await sandbox.run(['stop-server', '--force']);
    sandbox.remove();
  }
  await cluster.stop();
}, 120_000);

describe('losing the PostgreSQL engine lock', { timeout: 240_000 }, () => {
  const started = join(leader.directory, 'started.txt');
  const line = join(leader.directory, 'once.txt');
  const command = `echo started >> ${started}; sleep 8; echo once >> ${line}`;
  let workflowId = '';

  it('the leader runs the engine, the second server the API only', async () => {
    foreground = spawnKetrew(leader, ['start-server']);
    await eventually('the leader to run the engine', async () => {
      const status = await leader.run(['status']);
      return status.stdout.includes('engine running') ? status : undefined;
    });
    expect((await follower.run(['start-server', '--daemonize'])).code).toBe(0);
    expect((await follower.run(['status'])).stdout).toContain('API only');
    const submitted = await leader.json<SubmitResponse>([
      'submit',
      '-w',
      '--daemonize',
      `${join(leader.directory, 'KT')},${command}`,
    ]);
    workflowId = submitted.workflowId;
    // The job runs (its file says so): the lock will be lost while it does.
    await eventually('the job to start', async () => (existsSync(started) ? true : undefined));
  });

  it('the leader stops its engine and exits with code 1 when the lock connection dies', async () => {
    const server = foreground!;
    expect(await terminateEngineLockConnection()).toBe(1);
    const code = await Promise.race([
      server.exited,
      new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 60_000)),
    ]);
    expect(code).toBe(1);
    expect(server.stdout()).toMatch(
      /error: PostgreSQL database "lock_loss" at [^:]+:\d+: lost the engine lock \(its connection failed: /,
    );
    expect(server.stdout()).toContain(
      'error: stopping the engine and this server (exit code 1); running jobs keep running.',
    );
    expect(existsSync(join(leader.root, 'ketrew-server.pid'))).toBe(false);
  });

  it('the second server takes over; the running job ends once', async () => {
    await eventually('the follower to run the engine', async () => {
      const status = await follower.run(['status']);
      return status.stdout.includes('engine running') ? status : undefined;
    });
    const [node] = await untilWorkflowStates(follower, workflowId, {
      [command]: 'finished/verified-success',
    });
    expect(node?.attempt).toBe(1);
    expect(readFileSync(started, 'utf8')).toBe('started\n');
    expect(readFileSync(line, 'utf8')).toBe('once\n');
  });

  it('start-server again: the old leader comes back API-only', async () => {
    expect((await leader.run(['start-server', '--daemonize'])).code).toBe(0);
    const status = await leader.run(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('API only');
  });
});
