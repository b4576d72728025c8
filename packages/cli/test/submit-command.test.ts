import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowSpecInput } from '@ketrew/edsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './cli-harness.js';
import { apiNode } from './fixtures.js';

let directory: string;
const server = ['--url', 'http://k.test:8756', '--token', 'tok-1234567890abcdef'];

const spec = {
  version: 1,
  root: 'backup',
  nodes: [
    { id: 'backup', name: 'backup', dependsOn: ['md5', 'tarball'] },
    {
      id: 'md5',
      name: 'md5',
      dependsOn: ['tarball'],
      make: {
        backend: 'daemonize',
        host: { name: '/tmp/KT', connection: { kind: 'localhost' }, playground: '/tmp/KT' },
        program: { kind: 'sh', command: 'md5sum /tmp/b.tgz' },
      },
    },
    { id: 'tarball', name: 'tarball', tags: ['own'] },
  ],
};

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'ketrew-cli-submit-'));
  writeFileSync(join(directory, 'backup.json'), JSON.stringify(spec));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('submit', () => {
  it('prints the tree of a JSON workflow in a dry run, sending nothing', async () => {
    const result = await runInProcess(['submit', 'backup.json'], { cwd: directory });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        '* backup',
        '  * md5: daemonize on /tmp/KT: md5sum /tmp/b.tgz',
        '    * tarball (#1)',
        '  * tarball (#1, see above)',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toContain('Dry run: nothing submitted (3 nodes)');
  });

  it('adds --tag to every node and submits with --wet-run', async () => {
    let sent: WorkflowSpecInput | undefined;
    const result = await runInProcess(
      ['submit', '-w', '--tag', 'x', '--tag', 'own', 'backup.json', ...server],
      {
        cwd: directory,
        client: {
          submit: async (body) => {
            sent = body;
            return {
              workflowId: 'w1',
              rootId: 'backup',
              nodeIds: ['backup', 'md5', 'tarball'],
              merged: { tarball: 'old' },
            };
          },
        },
      },
    );
    expect(result.code).toBe(0);
    expect(sent?.nodes.map((n) => n.tags)).toEqual([
      ['x', 'own'],
      ['x', 'own'],
      ['own', 'x'],
    ]);
    expect(result.stdout).toBe(
      'Submitted workflow w1: 3 nodes (1 merged into equivalent nodes), root backup.\n',
    );
  });

  it('builds a one-node workflow from --daemonize', async () => {
    const result = await runInProcess([
      'submit',
      '--json',
      '--daemonize',
      '/tmp/KT,du -sh $HOME',
      '-t',
      'cli',
    ]);
    expect(result.code).toBe(0);
    const built = JSON.parse(result.stdout);
    expect(built.nodes).toHaveLength(1);
    expect(built.nodes[0]).toMatchObject({
      name: 'du -sh $HOME',
      active: true,
      tags: ['cli'],
      make: {
        backend: 'daemonize',
        program: { kind: 'sh', command: 'du -sh $HOME' },
        host: { playground: '/tmp/KT' },
      },
    });
  });

  it('refuses a bad host URI as a usage error, and an invalid spec with every problem', async () => {
    const badHost = await runInProcess(['submit', '--daemonize', 'ftp://x/y,true']);
    expect(badHost.code).toBe(2);
    expect(badHost.stderr.split('\n')[0]).toMatch(
      /^error: --daemonize: Invalid host URI "ftp:\/\/x\/y"/,
    );
    writeFileSync(
      join(directory, 'bad.json'),
      JSON.stringify({ version: 1, root: 'a', nodes: [{ id: 'a', name: 'a', dependsOn: ['zz'] }] }),
    );
    const invalid = await runInProcess(['submit', 'bad.json'], { cwd: directory });
    expect(invalid.code).toBe(7);
    expect(invalid.stderr).toContain(
      'bad.json is not a valid workflow: 1 problem\n  /nodes/0/dependsOn/0:',
    );
    const notJson = join(directory, 'broken.json');
    writeFileSync(notJson, '{');
    expect((await runInProcess(['submit', notJson])).code).toBe(7);
    expect((await runInProcess(['submit', join(directory, 'missing.json')])).code).toBe(2);
    expect((await runInProcess(['submit', join(directory, 'x.yaml')])).code).toBe(2);
  });

  it('needs a file or --daemonize, not both, and --wait only with --wet-run', async () => {
    expect((await runInProcess(['submit'])).stderr).toContain(
      'Give a workflow FILE or --daemonize',
    );
    expect((await runInProcess(['submit', 'a.json', '-d', '/tmp/KT,true'])).code).toBe(2);
    const wait = await runInProcess(['submit', '--wait', '-d', '/tmp/KT,true']);
    expect(wait.code).toBe(2);
    expect(wait.stderr).toContain('--wait needs --wet-run');
  });

  it('waits for the root with --wait and exits 1 when it failed', async () => {
    let polls = 0;
    const result = await runInProcess(
      ['submit', '-w', '--wait', '-d', '/tmp/KT,false', ...server],
      {
        client: {
          submit: async () => ({ workflowId: 'w', rootId: 'r', nodeIds: ['r'], merged: {} }),
          countNodes: async () => ({
            counts: { activable: 0, 'in-progress': 1, successful: 0, failed: 0 },
            total: 1,
          }),
          node: async () => {
            polls += 1;
            const state =
              polls < 2
                ? ({ kind: 'running', jobName: 'j', run: {}, since: 0 } as const)
                : ({
                    kind: 'finished',
                    outcome: 'failed',
                    from: 'failed-running',
                    reason: { kind: 'non-zero-exit', code: 1 },
                  } as const);
            const simpleStatus = polls < 2 ? 'in-progress' : 'failed';
            return { node: apiNode('r', { state, simpleStatus }), history: [], edges: noEdges };
          },
        },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Root r finished: failed (failed-running: non-zero exit 1).');
  });
});

describe('status --loop', () => {
  it('prints changes until interrupted, then exits 0', async () => {
    const controller = new AbortController();
    let calls = 0;
    const result = await runInProcess(['status', '--loop', '--interval', '0.2', ...server], {
      signal: controller.signal,
      client: {
        status: async () => {
          calls += 1;
          if (calls === 3) controller.abort(new Error('interrupted'));
          return { ...statusResponse, total: calls < 2 ? 1 : 2 };
        },
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout.match(/doing well/g)).toHaveLength(2);
    expect(result.stdout).toContain('(1 in all)');
    expect(result.stdout).toContain('(2 in all)');
  });
});

const noEdges = {
  dependsOn: [],
  onSuccessActivate: [],
  onFailureActivate: [],
  dependedOnBy: [],
  activatedOnSuccessOf: [],
  activatedOnFailureOf: [],
};

const statusResponse = {
  version: '0.1.0',
  startedAt: 0,
  uptimeSeconds: 1,
  readOnly: false,
  mode: 'engine' as const,
  counts: { activable: 0, 'in-progress': 0, successful: 1, failed: 0 },
  total: 1,
  engine: null,
  you: { name: 'default', scopes: ['admin' as const] },
};
