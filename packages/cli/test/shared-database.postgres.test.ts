import { join } from 'node:path';
// For its declaration of `inject('ketrewPostgres')` (provided by its globalSetup).
import type {} from '@ketrew/test-kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { NodeDetailResponse, SubmitResponse } from '../src/client/api-types.js';
import { eventually, KetrewSandbox } from './e2e-harness.js';

/*
 * Two servers on one PostgreSQL database, with real processes: the first takes the engine lock
 * and runs the engine; the second serves the API only (reads, queued kills) until the first
 * stops, then takes over.
 */

const leader = new KetrewSandbox();
const follower = new KetrewSandbox();
let database: string;

beforeAll(async () => {
  database = inject('ketrewPostgres').connectionString;
  for (const sandbox of [leader, follower]) await sandbox.initOnFreePort(['--database', database]);
}, 120_000);

afterAll(async () => {
  for (const sandbox of [leader, follower]) {
    await sandbox.run(['stop-server', '--force']);
    sandbox.remove();
  }
}, 120_000);

describe('two servers on one PostgreSQL database', { timeout: 180_000 }, () => {
  let rootId = '';

  it('the first server runs the engine', async () => {
    expect((await leader.run(['start-server', '--daemonize'])).code).toBe(0);
    const status = await leader.run(['status']);
    expect(status.stdout).toContain('engine running');
    const submitted = await leader.json<SubmitResponse>([
      'submit',
      '-w',
      '--daemonize',
      `${join(leader.directory, 'KT')},sleep 600`,
    ]);
    rootId = submitted.rootId;
    await eventually('the job to run', async () => {
      const detail = await leader.json<NodeDetailResponse>(['show', rootId]);
      return detail.node.state.kind === 'running' ? detail : undefined;
    });
  });

  it('the second serves the API only: it reads, refuses submissions, queues kills', async () => {
    expect((await follower.run(['start-server', '--daemonize'])).code).toBe(0);
    const status = await follower.run(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('API only');
    const list = await follower.run(['list', '--ids']);
    expect(list.stdout.trim().split('\n')).toContain(rootId);
    const submit = await follower.run(['submit', '-w', '--daemonize', '/tmp/KT,true']);
    expect(submit.code).toBe(1);
    expect(submit.stderr).toMatch(
      /^error: this server runs in API-only mode .*submit to the engine leader/,
    );
    const kill = await follower.run(['kill', rootId]);
    expect(kill.code).toBe(0);
    expect(kill.stdout).toContain('(queued for the engine)');
    await eventually('the queued kill to be carried out by the leader', async () => {
      const detail = await follower.json<NodeDetailResponse>(['show', rootId]);
      return detail.node.state.kind === 'finished' ? detail : undefined;
    });
  });

  it('the second takes over the engine when the first stops', async () => {
    expect((await leader.run(['stop-server'])).code).toBe(0);
    await eventually('the follower to run the engine', async () => {
      const status = await follower.run(['status']);
      return status.stdout.includes('engine running') ? status : undefined;
    });
    const submitted = await follower.json<SubmitResponse>([
      'submit',
      '-w',
      '--daemonize',
      `${join(follower.directory, 'KT')},echo taken over`,
    ]);
    const done = await eventually('the new job to finish', async () => {
      const detail = await follower.json<NodeDetailResponse>(['show', submitted.rootId]);
      return detail.node.state.kind === 'finished' ? detail : undefined;
    });
    expect(done.node.simpleStatus).toBe('successful');
  });

  it('sync copies the shared database to a backup', async () => {
    const result = await follower.json<{ imported: number }>([
      'sync',
      '--from',
      database,
      '--to',
      join(follower.directory, 'backup.jsonl'),
    ]);
    expect(result.imported).toBeGreaterThanOrEqual(2);
  });
});
