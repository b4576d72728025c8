// Store benchmark: the SQLite and PostgreSQL stores holding a 100,000-node workflow — the time to
// insert it, and p50/p95 of the queries the dashboard makes (a page of nodes filtered by status,
// counts by status, a page filtered by tag, one node's history). PostgreSQL: a throwaway server
// is started unless --postgres URL names one. Run: pnpm --filter @ketrew/bench run bench:stores
//   [-- --nodes 100000 --runs 50 --stores sqlite,postgres --postgres URL --json FILE]
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NodeSpecSchema, type NodeSpec } from '@ketrew/edsl';
import {
  createEngineNode,
  type EngineNode,
  type HistoryEntry,
  type NodeState,
  type Store,
  type WorkflowRecord,
} from '@ketrew/engine';
import { sql } from 'kysely';
import { createPostgresStore, type PostgresStore } from '@ketrew/store-postgres';
import { createSqliteStore } from '@ketrew/store-sqlite';
import { formatTable, meetsGoal, type BenchReport, type Measurement } from './bench-report.js';
import { machine } from './machine.js';
import { flagValue, isMainModule } from './bench-cli.js';

const T0 = 1_700_000_000_000;

function option(name: string, fallback: string): string {
  return flagValue(process.argv, `--${name}`) ?? fallback;
}

interface Fixture {
  readonly workflow: WorkflowRecord;
  readonly nodes: readonly EngineNode[];
  readonly history: readonly HistoryEntry[];
}

/** A 10-ary tree of realistic nodes: daemonized programs, file conditions, two tags each. */
function treeWorkflow(count: number): Fixture {
  const host = { name: '/tmp/KT', connection: { kind: 'localhost' }, playground: '/tmp/KT' };
  const specs: NodeSpec[] = [];
  for (let i = 0; i < count; i++) {
    const out = `/data/bench/step-${i}.out`;
    specs.push(
      NodeSpecSchema.parse({
        id: `bench.n${i}`,
        name: `step ${i} of the benchmark`,
        active: i === 0,
        tags: ['bench', `group-${i % 100}`],
        condition: {
          kind: 'volume-exists',
          volume: { host, root: '/data/bench', structure: { kind: 'file', name: `step-${i}.out` } },
        },
        make: {
          backend: 'daemonize',
          host,
          program: { kind: 'sh', command: `compute --step ${i} > ${out}` },
        },
        dependsOn: i === 0 ? [] : [`bench.n${Math.floor((i - 1) / 10)}`],
      }),
    );
  }
  const nodes = specs.map((spec) => createEngineNode(spec, 'wf-bench', T0));
  return {
    workflow: {
      id: 'wf-bench',
      rootId: 'bench.n0',
      submittedAt: T0,
      spec: { version: 1, root: 'bench.n0', nodes: specs },
    },
    nodes,
    history: nodes.map((n) => ({
      nodeId: n.id,
      attempt: 1,
      time: T0,
      state: n.state,
      message: null,
    })),
  };
}

/** States spreading the nodes over the four statuses (40% activable, 20% in progress…). */
function stateOf(i: number): NodeState {
  switch (i % 10) {
    case 0:
    case 1:
      return { kind: 'running', jobName: `ketrew-${i}`, run: { pid: i }, since: T0 + 1 };
    case 2:
    case 3:
    case 4:
      return { kind: 'finished', outcome: 'successful', from: 'verified-success' };
    case 5:
      return { kind: 'failed-running', reason: { kind: 'non-zero-exit', code: 1 } };
    default:
      return { kind: 'passive' };
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

async function timeQuery(
  label: string,
  runs: number,
  query: () => Promise<unknown>,
): Promise<Measurement> {
  for (let i = 0; i < 3; i++) await query(); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await query();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    name: `${label} (p95)`,
    value: Number(percentile(times, 0.95).toFixed(2)),
    unit: 'ms',
    goal: { op: '<=', value: 50 },
    detail: `p50 ${percentile(times, 0.5).toFixed(2)} ms over ${runs} runs`,
  };
}

async function benchStore(
  name: string,
  open: () => Promise<Store>,
  fixture: Fixture,
  runs: number,
  settle?: ((store: Store) => Promise<Measurement>) | undefined,
): Promise<Measurement[]> {
  const count = fixture.nodes.length.toLocaleString('en-US');
  const inserts: { wall: number; cpu: number }[] = [];
  let store: Store | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    await store?.close();
    store = await open();
    const cpu = process.cpuUsage();
    const start = performance.now();
    await store.insertWorkflow(fixture.workflow, fixture.nodes, fixture.history);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    inserts.push({ wall, cpu: (used.user + used.system) / 1000 });
  }
  if (store === undefined) throw new Error('no store');
  const walls = inserts.map((i) => i.wall).sort((a, b) => a - b);
  const measurements: Measurement[] = [
    {
      name: `${name}: insert a ${count}-node workflow (median of 3)`,
      value: Math.round(percentile(walls, 0.5)),
      unit: 'ms',
      goal: { op: '<=', value: 3_000 },
      detail: `runs ${inserts.map((i) => `${Math.round(i.wall)} ms (CPU ${Math.round(i.cpu)})`).join(', ')}`,
    },
  ];

  const moved = fixture.nodes.map((node, i) => ({ ...node, state: stateOf(i), updatedAt: T0 + i }));
  const start = performance.now();
  for (let i = 0; i < moved.length; i += 1000) {
    const batch = moved.slice(i, i + 1000);
    await store.applyTransitions({
      nodes: batch,
      history: batch.map((n) => ({
        nodeId: n.id,
        attempt: 1,
        time: n.updatedAt,
        state: n.state,
        message: null,
      })),
    });
  }
  const seconds = (performance.now() - start) / 1000;
  measurements.push({
    name: `${name}: applyTransitions, batches of 1,000`,
    value: Math.round(moved.length / seconds),
    unit: 'nodes/s',
    detail: `${count} node updates with their history and changes in ${seconds.toFixed(2)} s`,
  });

  const s = store;
  if (settle !== undefined) measurements.push(await settle(s));
  const matching = (await s.countByStatus({}))['in-progress'];
  // A cursor halfway through the matches (at most 100 pages in): a page a user scrolled to.
  const pages = Math.min(100, Math.floor(matching / 200));
  let deep: string | undefined;
  for (let page = 0; page < pages; page++) {
    deep =
      (await s.queryNodes({ status: ['in-progress'] }, { limit: 100, after: deep })).next ??
      undefined;
  }
  const inProgress = matching.toLocaleString('en-US');
  const groupSize = Math.ceil(fixture.nodes.length / 100).toLocaleString('en-US');
  measurements.push(
    await timeQuery(
      `${name}: first page of 100, status in-progress (${inProgress} match)`,
      runs,
      () => s.queryNodes({ status: ['in-progress'] }, { limit: 100 }),
    ),
    await timeQuery(`${name}: page ${pages + 1} of 100, status in-progress`, runs, () =>
      s.queryNodes({ status: ['in-progress'] }, { limit: 100, after: deep }),
    ),
    await timeQuery(`${name}: counts by status of ${count} nodes`, runs, () => s.countByStatus({})),
    await timeQuery(`${name}: first page of 100, tag group-7 (${groupSize} match)`, runs, () =>
      s.queryNodes({ tags: ['group-7'] }, { limit: 100 }),
    ),
    await timeQuery(`${name}: first page of 100, tag bench (${count} match)`, runs, () =>
      s.queryNodes({ tags: ['bench'] }, { limit: 100 }),
    ),
    await timeQuery(`${name}: one node's history`, runs, () =>
      s.getHistory(`bench.n${Math.floor(Math.random() * fixture.nodes.length)}`),
    ),
  );
  await s.close();
  return measurements;
}

/** A throwaway PostgreSQL 15 (as @ketrew/test-kit's startPostgresCluster does for tests). */
async function throwawayPostgres(): Promise<{ url: string; stop: () => void }> {
  const bin = process.env['KETREW_POSTGRES_BIN'] ?? '/usr/lib/postgresql/15/bin';
  const dir = mkdtempSync(path.join(tmpdir(), 'ketrew-bench-pg-'));
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asPostgres.length > 0) {
    const entry = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((line) => line.startsWith('postgres:'));
    const [, , uid, gid] = entry?.split(':') ?? [];
    chownSync(dir, Number(uid), Number(gid));
  }
  const run = (program: string, ...args: string[]) => {
    const [file, ...rest] = [...asPostgres, path.join(bin, program), ...args] as [
      string,
      ...string[],
    ];
    execFileSync(file, rest, { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  run('initdb', '-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync');
  // Durable settings (fsync on): the benchmark measures what a real server would do.
  const options = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c shared_buffers=256MB`;
  run('pg_ctl', '-D', dir, '-l', path.join(dir, 'log'), '-o', options, '-w', 'start');
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      run('pg_ctl', '-D', dir, '-m', 'immediate', '-w', 'stop');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function storeBench(): Promise<BenchReport> {
  const nodes = Number(option('nodes', '100000'));
  const runs = Number(option('runs', '50'));
  const stores = option('stores', 'sqlite,postgres').split(',');
  const fixture = treeWorkflow(nodes);
  const measurements: Measurement[] = [];
  if (stores.includes('sqlite')) {
    const dir = mkdtempSync(path.join(tmpdir(), 'ketrew-bench-sqlite-'));
    let n = 0;
    measurements.push(
      ...(await benchStore(
        'SQLite',
        async () => {
          const store = createSqliteStore({ path: path.join(dir, `bench-${n++}.db`) });
          await store.migrate();
          return store;
        },
        fixture,
        runs,
      )),
    );
    rmSync(dir, { recursive: true, force: true });
  }
  if (stores.includes('postgres')) {
    const given = option('postgres', '');
    const server = given === '' ? await throwawayPostgres() : { url: given, stop: () => {} };
    try {
      const admin = createPostgresStore({ connectionString: server.url });
      let n = 0;
      const open = async () => {
        const database = `ketrew_bench_${process.pid}_${n++}`;
        await sql.raw(`create database "${database}"`).execute(admin.db);
        const store = createPostgresStore({
          connectionString: server.url.replace(/\/[^/]*$/, `/${database}`),
        });
        await store.migrate();
        return store;
      };
      // Queries are measured in the steady state autovacuum keeps (see migration 003): right
      // after rewriting every row, pages are not yet all-visible and counts read the table.
      const settle = async (store: Store): Promise<Measurement> => {
        const start = performance.now();
        await sql`vacuum (analyze) nodes`.execute((store as PostgresStore).db);
        return {
          name: 'PostgreSQL: vacuum (analyze) nodes before the queries',
          value: Math.round(performance.now() - start),
          unit: 'ms',
          detail: 'what autovacuum does after the writes (migration 003 makes it prompt)',
        };
      };
      measurements.push(...(await benchStore('PostgreSQL', open, fixture, runs, settle)));
      await admin.close();
    } finally {
      server.stop();
    }
  }
  return {
    benchmark: 'Stores (SQLite, PostgreSQL)',
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    measurements,
  };
}

if (isMainModule(import.meta.url)) {
  const report = await storeBench();
  console.log(formatTable(report));
  const json = option('json', '');
  if (json !== '') writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  if (!report.measurements.every(meetsGoal)) process.exitCode = 1;
}
