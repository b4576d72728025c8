import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '@ketrew/test-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  NodeDetailResponse,
  NodeListResponse,
  SubmitResponse,
} from '../src/client/api-types.js';
import { isProcessAlive } from '../src/server/server-process.js';
import {
  eventually,
  freePort,
  KetrewSandbox,
  patchServerConfiguration,
  serverPid as readServerPid,
  untilWorkflowStates,
} from './e2e-harness.js';

/*
 * The original's getting-started flow, with real processes: the CLI (from source), a server it
 * daemonizes in a temporary $KETREW_ROOT, and real daemonized jobs; then the refusals, and a
 * `kill -9` of the server while jobs run. The same flow runs on each store: the embedded SQLite
 * default, and PostgreSQL (a throwaway cluster from @ketrew/test-kit, chosen with
 * `ketrew init --database postgresql://…`).
 */

interface StoreUnderTest {
  readonly name: string;
  /** The `ketrew init` flags choosing this store (creating what it needs first). */
  initArgs(): Promise<readonly string[]>;
  /** How `ketrew pc server` names the database. */
  describe(sandbox: KetrewSandbox): string;
}

let cluster: PostgresCluster | undefined;
let postgresUrl = '';

const STORES: readonly StoreUnderTest[] = [
  {
    name: 'SQLite',
    initArgs: async () => [],
    describe: (sandbox) => `SQLite ${join(sandbox.root, 'ketrew.db')}`,
  },
  {
    name: 'PostgreSQL',
    initArgs: async () => {
      cluster = await startPostgresCluster();
      postgresUrl = await cluster.createDatabase('getting_started');
      return ['--database', postgresUrl];
    },
    describe: () => `PostgreSQL ${postgresUrl}`,
  },
];

afterAll(async () => {
  await cluster?.stop();
}, 60_000);

describe.each(STORES)('on $name', (store) => {
  const sandbox = new KetrewSandbox();
  let port: number;
  let serverPid: number | undefined;

  async function node(id: string): Promise<NodeDetailResponse> {
    return sandbox.json<NodeDetailResponse>(['show', id]);
  }

  async function untilState(
    id: string,
    kinds: readonly string[],
    attempt = 1,
  ): Promise<NodeDetailResponse> {
    return eventually(`node ${id} in ${kinds.join('/')}`, async () => {
      const detail = await node(id);
      const kind =
        detail.node.state.kind === 'finished' ? detail.node.state.from : detail.node.state.kind;
      return detail.node.attempt === attempt &&
        (kinds.includes(kind) || kinds.includes(detail.node.state.kind))
        ? detail
        : undefined;
    });
  }

  let initArgs: readonly string[] = [];

  beforeAll(async () => {
    mkdirSync(sandbox.home, { recursive: true });
    port = await freePort();
    initArgs = await store.initArgs();
  }, 120_000);

  afterAll(async () => {
    await sandbox.run(['stop-server', '--force']);
    if (serverPid !== undefined && isProcessAlive(serverPid)) process.kill(serverPid, 'SIGKILL');
    sandbox.remove();
  }, 120_000);

  describe('getting started', { timeout: 180_000 }, () => {
    let token = '';

    it('init writes a configuration and prints the token once', async () => {
      const result = await sandbox.run(['init', '--port', String(port), ...initArgs]);
      expect(result.code).toBe(0);
      token = /^\s{4}(\S+)$/m.exec(result.stdout)?.[1] ?? '';
      expect(token.length).toBeGreaterThanOrEqual(16);
      expect(existsSync(join(sandbox.root, 'configuration.json'))).toBe(true);
    });

    it('print-configuration shows the client and the server parts', async () => {
      const client = await sandbox.run(['pc']);
      expect(client.code).toBe(0);
      expect(client.stdout).toContain(`http://127.0.0.1:${port}`);
      const server = await sandbox.run(['print-configuration', 'server']);
      expect(server.stdout).toContain(store.describe(sandbox));
      expect(server.stdout).toMatch(/maximum successive attempts\s+10/);
    });

    it('start-server --daemonize detaches a server and writes its pid file', async () => {
      const result = await sandbox.run(['start-server', '--daemonize']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      serverPid = Number(readFileSync(join(sandbox.root, 'ketrew-server.pid'), 'utf8').trim());
      expect(isProcessAlive(serverPid)).toBe(true);
      const again = await sandbox.run(['start-server', '--daemonize']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`a server is already running (pid ${serverPid}`);
    });

    it('status says the server is doing well', async () => {
      const result = await sandbox.run(['status']);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n')[0]).toBe('The server appears to be doing well.');
      expect(result.stdout).toContain('(0 in all)');
    });

    let rootId = '';

    it('submit --wet-run --tag 1st-workflow --daemonize runs a command', async () => {
      const playground = join(sandbox.directory, 'KT-first');
      const submitted = await sandbox.json<SubmitResponse>([
        'submit',
        '--wet-run',
        '--tag',
        '1st-workflow',
        '--daemonize',
        `${playground},du -sh $HOME`,
      ]);
      rootId = submitted.rootId;
      expect(submitted.nodeIds).toEqual([rootId]);
      const done = await untilState(rootId, [
        'verified-success',
        'failed-running',
        'failed-to-start',
      ]);
      expect(done.node.simpleStatus).toBe('successful');
      expect(done.node.spec.tags).toEqual(['1st-workflow']);
    });

    it('list, show and logs describe the node', async () => {
      const list = await sandbox.run(['list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(
        new RegExp(`${rootId}\\s+du -sh \\$HOME\\s+successful\\s+verified-success\\s+daemonize`),
      );
      const page = await sandbox.json<NodeListResponse>(['list', '--tag', '1st-workflow']);
      expect(page.nodes.map((n) => n.id)).toEqual([rootId]);
      const show = await sandbox.run(['show', rootId]);
      expect(show.stdout).toContain('daemonize on');
      expect(show.stdout).toContain('finished (successful)');
      const logs = await sandbox.run(['logs', rootId]);
      expect(logs.code).toBe(0);
      expect(logs.stdout).toMatch(new RegExp(`\\S+\\s+${sandbox.home}\\n$`));
      const log = await sandbox.run(['query', rootId, 'log']);
      expect(log.stdout).toContain('success');
    });

    let sleeperId = '';

    it('kill stops a running job; restart runs it again as attempt 2', async () => {
      const submitted = await sandbox.json<SubmitResponse>([
        'submit',
        '-w',
        '--daemonize',
        `${join(sandbox.directory, 'KT-sleep')},sleep 600`,
      ]);
      sleeperId = submitted.rootId;
      await untilState(sleeperId, ['running']);
      const kill = await sandbox.run(['kill', sleeperId]);
      expect(kill.code).toBe(0);
      expect(kill.stdout).toBe(`Kill requested for node ${sleeperId}.\n`);
      const killed = await untilState(sleeperId, ['killed']);
      expect(killed.node.simpleStatus).toBe('failed');
      const restart = await sandbox.run(['restart', sleeperId.slice(0, 10)]);
      expect(restart.code).toBe(0);
      const again = await untilState(sleeperId, ['running'], 2);
      expect(again.history.some((h) => h.attempt === 1 && h.state.kind === 'killed')).toBe(true);
      expect((await sandbox.run(['kill', sleeperId, '--recursive'])).code).toBe(0);
      await untilState(sleeperId, ['killed'], 2);
    });

    it('logs --follow ends when the node ends', async () => {
      const submitted = await sandbox.json<SubmitResponse>([
        'submit',
        '-w',
        '--daemonize',
        `${join(sandbox.directory, 'KT-follow')},echo one; sleep 2; echo two`,
      ]);
      const follow = await sandbox.run(['logs', submitted.rootId, '--follow']);
      expect(follow.code).toBe(0);
      expect(follow.stdout).toBe('one\ntwo\n');
    });

    it('stop-server stops it; then the server is unreachable (exit 3)', async () => {
      const stop = await sandbox.run(['stop-server']);
      expect(stop.code).toBe(0);
      expect(stop.stdout).toBe(`Server stopped (pid ${serverPid}).\n`);
      expect(existsSync(join(sandbox.root, 'ketrew-server.pid'))).toBe(false);
      expect(isProcessAlive(serverPid ?? 0)).toBe(false);
      const status = await sandbox.run(['status']);
      expect(status.code).toBe(3);
      expect(status.stderr).toContain('connection refused');
      const stopAgain = await sandbox.run(['stop-server']);
      expect(stopAgain.code).toBe(0);
      expect(stopAgain.stderr).toContain('No server is running');
    });
  });

  describe('refusals (same server, restarted)', { timeout: 180_000 }, () => {
    beforeAll(async () => {
      const started = await sandbox.run(['start-server', '--daemonize']);
      if (started.code !== 0) throw new Error(started.stderr);
    }, 120_000);

    it('a malformed workflow file is rejected with a clear error and nothing is stored', async () => {
      const before = await sandbox.json<NodeListResponse>(['list']);
      const file = join(sandbox.directory, 'bad.json');
      writeFileSync(
        file,
        JSON.stringify({
          version: 1,
          root: 'a',
          nodes: [
            { id: 'a', name: 'a', dependsOn: ['b'] },
            {
              id: 'b',
              name: 'b',
              make: {
                backend: 'daemonize',
                program: { kind: 'sh', command: 'true' },
                host: { name: 'h', connection: { kind: 'localhost' }, playground: 'relative/path' },
              },
            },
          ],
        }),
      );
      const result = await sandbox.run(['submit', '--wet-run', file]);
      expect(result.code).toBe(7);
      expect(result.stderr).toContain(`error: ${file} is not a valid workflow`);
      expect(result.stderr).toContain('/nodes/1/make/host/playground');
      const notANode = join(sandbox.directory, 'not-a-node.ts');
      writeFileSync(notANode, 'export default { hello: "world" };\n');
      const ts = await sandbox.run(['submit', '-w', notANode]);
      expect(ts.code).toBe(7);
      expect(ts.stderr).toContain('the default export must be a workflow node');
      // Valid for the CLI, refused by the server: it has no such backend.
      const unknownBackend = join(sandbox.directory, 'unknown-backend.json');
      writeFileSync(
        unknownBackend,
        JSON.stringify({
          version: 1,
          root: 'u',
          nodes: [{ id: 'u', name: 'u', make: { backend: 'no-such-backend' } }],
        }),
      );
      const refused = await sandbox.run(['submit', '-w', unknownBackend]);
      expect(refused.code).toBe(7);
      expect(refused.stderr.split('\n')[0]).toMatch(
        /^error: the server rejected the workflow: .*unknown backend "no-such-backend"/,
      );
      const after = await sandbox.json<NodeListResponse>(['list']);
      expect(after.total).toBe(before.total);
    });

    it('a token without the submit scope may read but not submit', async () => {
      const created = await sandbox.run(['token', 'create', 'reader', '--scope', 'read']);
      expect(created.code).toBe(0);
      const reader = created.stdout.trim();
      const status = await sandbox.run(['status', '--token', reader]);
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('you      reader (read)');
      const submit = await sandbox.run([
        'submit',
        '-w',
        '--token',
        reader,
        '--daemonize',
        '/tmp/KT,true',
      ]);
      expect(submit.code).toBe(4);
      expect(submit.stderr.split('\n')[0]).toMatch(/^error: not allowed: .*submit/);
      const unknown = await sandbox.run(['status', '--token', 'not-a-real-token-at-all']);
      expect(unknown.code).toBe(4);
    });

    it("a TypeScript workflow outside any project, split in modules, is loaded with the CLI's own @ketrew/edsl", async () => {
      const directory = join(sandbox.directory, 'elsewhere');
      mkdirSync(directory);
      const playground = join(sandbox.directory, 'KT-ts');
      const module = (name: string, lines: readonly string[]): void =>
        writeFileSync(join(directory, name), lines.join('\n'));
      // two-steps.ts → ./first-step.js → ./place.js: TypeScript importing TypeScript, twice.
      module('place.ts', [
        "import { Host } from '@ketrew/edsl';",
        `export const playground = '${playground}';`,
        'export const host = Host.parse(playground);',
      ]);
      module('first-step.ts', [
        "import { Program, daemonize, singleFile, workflowNode } from '@ketrew/edsl';",
        "import { host, playground } from './place.js';",
        'export const first = workflowNode(singleFile(`${playground}/one.txt`, { host }), {',
        "  name: 'first',",
        '  make: daemonize(Program.sh(`echo 1 > ${playground}/one.txt`), { host }),',
        '});',
      ]);
      module('two-steps.ts', [
        "import { Program, daemonize, dependsOn, singleFile, workflowNode } from '@ketrew/edsl';",
        "import { first } from './first-step.js';",
        "import { host, playground } from './place.js';",
        'export default workflowNode(singleFile(`${playground}/two.txt`, { host }), {',
        "  name: 'second',",
        '  make: daemonize(Program.shf(`cat %S > ${playground}/two.txt`, first.product.path), { host }),',
        '  edges: [dependsOn(first)],',
        '});',
      ]);
      const dry = await sandbox.run(['submit', 'two-steps.ts'], { cwd: directory });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/^\* second: daemonize on .*\n {2}\* first: daemonize on /);
      expect(dry.stderr).toContain('Dry run: nothing submitted (2 nodes)');
      const wet = await sandbox.run(['submit', '--wet-run', '--wait', 'two-steps.ts'], {
        cwd: directory,
      });
      expect(wet.stderr).toContain('Follow it with');
      expect(wet.code).toBe(0);
      expect(wet.stdout).toMatch(/Root \S+ finished: successful/);
      expect(readFileSync(join(playground, 'two.txt'), 'utf8')).toBe('1\n');
    });
  });

  describe(
    'kill -9 of the server while jobs run, then start-server again',
    { timeout: 300_000 },
    () => {
      const JOBS = 20;
      const directory = join(sandbox.directory, 'kill-9');
      const lines = join(directory, 'lines.txt');
      const starts = join(directory, 'starts.txt');
      const count = (path: string): number =>
        existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).length : 0;

      beforeAll(async () => {
        // Five jobs at a time (not the number of cores), so that the kill finds some jobs done,
        // some running and some not started yet.
        expect((await sandbox.run(['stop-server'])).code).toBe(0);
        patchServerConfiguration(sandbox, (server) => {
          server['engine'] = { concurrency: 5 };
        });
        const started = await sandbox.run(['start-server', '--daemonize']);
        if (started.code !== 0) throw new Error(started.stderr);
        mkdirSync(directory, { recursive: true });
        writeFileSync(
          join(directory, 'twenty-jobs.ts'),
          [
            "import { Host, Program, daemonize, dependsOn, withoutProduct, workflowNode } from '@ketrew/edsl';",
            `const host = Host.parse('${join(directory, 'KT')}');`,
            `const jobs = Array.from({ length: ${JOBS} }, (_, i) =>`,
            '  workflowNode(withoutProduct(), {',
            '    name: `job ${i + 1}`,',
            `    make: daemonize(Program.sh(\`echo job-\${i + 1} >> ${starts}; sleep 3; echo job-\${i + 1} >> ${lines}\`), { host }),`,
            '  }),',
            ');',
            "export default workflowNode(withoutProduct(), { name: 'twenty jobs', edges: jobs.map((job) => dependsOn(job)) });",
          ].join('\n'),
        );
      }, 120_000);

      it('every job ends successful, each ran exactly once', async () => {
        const submitted = await sandbox.json<SubmitResponse>([
          'submit',
          '--wet-run',
          join(directory, 'twenty-jobs.ts'),
        ]);
        expect(submitted.nodeIds).toHaveLength(JOBS + 1);
        // Kill while a job is in flight (it started and has not finished: the files say so).
        await eventually(
          'a job to be running',
          async () => (count(starts) > count(lines) ? true : undefined),
          120_000,
        );
        const pid = readServerPid(sandbox);
        process.kill(pid, 'SIGKILL');
        await eventually('the server to die', async () => (isProcessAlive(pid) ? undefined : true));
        const doneAtKill = count(lines);
        expect(doneAtKill).toBeLessThan(JOBS); // the kill came mid-run
        // Jobs run on without the server (detached), and finish while nobody watches.
        await eventually('a job to finish while the server is down', async () =>
          count(lines) > doneAtKill ? true : undefined,
        );
        expect((await sandbox.run(['status'])).code).toBe(3);

        const restarted = await sandbox.run(['start-server', '--daemonize']);
        expect(restarted.stderr).toBe('');
        expect(restarted.code).toBe(0);
        expect(readServerPid(sandbox)).not.toBe(pid);
        const expected: Record<string, string> = { 'twenty jobs': 'finished/verified-success' };
        for (let i = 1; i <= JOBS; i++) expected[`job ${i}`] = 'finished/verified-success';
        const nodes = await untilWorkflowStates(sandbox, submitted.workflowId, expected, 240_000);
        expect(nodes.map((n) => n.attempt)).toEqual(nodes.map(() => 1));
        const all = Array.from({ length: JOBS }, (_, i) => `job-${i + 1}`).sort();
        for (const path of [starts, lines]) {
          expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).sort()).toEqual(all);
        }
      });
    },
  );
});
