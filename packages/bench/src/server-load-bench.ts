// Server load benchmark (issue 6): a real server started with the `ketrew` CLI (init in a
// temporary KETREW_ROOT, `start-server --daemonize`, SQLite or PostgreSQL, the daemonize backend)
// runs a workflow of 1,000 sleeping jobs while the benchmark sends it 50 reads per second for
// 30 s, open loop, over the mix the dashboard and the CLI make. Per route and overall: count,
// errors, p50/p95/p99/max latency. Goal: no errors. Then the workflow must finish, every node
// succeed, `ketrew stop-server` stop the server and no job be left behind.
// Run: pnpm --filter @ketrew/bench run bench:server-load [-- --rate 50 --seconds 30 --nodes 1000
//   --concurrency 100 --database sqlite|postgresql://… --json FILE] (`-- --help` lists them).
import { writeFileSync } from 'node:fs';
import { formatTable, meetsGoal, type BenchReport, type Measurement } from './bench-report.js';
import { machine } from './machine.js';
import { quantile, summarize, type LatencySummary } from './server-load/latency-summary.js';
import { runServerLoad, type LoadRun, type WindowFacts } from './server-load/load-run.js';
import { READ_MIX } from './server-load/read-mix.js';
import { routeTable } from './server-load/route-table.js';
import { sourceVersion, type SourceVersion } from './server-load/source-version.js';
import {
  parseServerLoadOptions,
  SERVER_LOAD_USAGE,
  type ServerLoadOptions,
} from './server-load/server-load-options.js';
import { isMainModule } from './bench-cli.js';

export interface ServerLoadReport extends BenchReport {
  readonly settings: Omit<ServerLoadOptions, 'json' | 'keep'>;
  readonly routes: readonly LatencySummary[];
  readonly window: WindowFacts;
  /** The same reads once the workflow had finished (engine idle), `null` with `--no-idle`. */
  readonly idle: {
    readonly routes: readonly LatencySummary[];
    readonly window: WindowFacts;
  } | null;
  readonly workflow: LoadRun['workflow'] & { readonly seconds: number };
  readonly problems: readonly string[];
  /** The commit measured (`null` outside a git checkout) and its uncommitted files then. */
  readonly source: SourceVersion;
  readonly command: string;
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

const cpuShare = (window: WindowFacts): string =>
  window.serverCpuMs === null
    ? '?'
    : `${round((100 * window.serverCpuMs) / window.wallMs)}% of a core`;

function measurementsOf(
  run: LoadRun,
  routes: readonly LatencySummary[],
  idle: ServerLoadReport['idle'],
  options: ServerLoadOptions,
): Measurement[] {
  const all = routes[routes.length - 1] as LatencySummary;
  const { window } = run;
  const lastDue = Math.max(0, ...run.samples.map((s) => s.dueMs));
  const sent = run.samples.length / ((lastDue + 1000 / options.rate) / 1000);
  const lags = run.samples.map((s) => s.sendLagMs);
  const out: Measurement[] = [
    {
      name: 'errors (non-2xx, network, timeout)',
      value: all.errors,
      unit: `of ${all.count}`,
      goal: { op: '<=', value: 0 },
      detail: all.firstErrors.join(' | '),
    },
    { name: 'latency p50', value: all.p50, unit: 'ms', detail: 'from the time each read was due' },
    { name: 'latency p95', value: all.p95, unit: 'ms' },
    { name: 'latency p99', value: all.p99, unit: 'ms' },
    { name: 'latency max', value: all.max, unit: 'ms' },
    {
      name: 'rate sent',
      value: round(sent, 2),
      unit: 'req/s',
      detail: `the load generator's own delay in sending: p95 ${round(quantile(lags, 0.95))}, max ${round(Math.max(0, ...lags))} ms`,
    },
    {
      name: 'jobs running at the end of the window',
      value: window.runningAtEnd,
      unit: 'jobs',
      goal: { op: '>=', value: 1 },
      detail: `${window.runningAtStart} at the start; ${window.successfulAtEnd - window.successfulAtStart} jobs finished during the window`,
    },
  ];
  if (idle !== null) {
    const idleAll = idle.routes[idle.routes.length - 1] as LatencySummary;
    out.push(
      {
        name: 'idle window: errors',
        value: idleAll.errors,
        unit: `of ${idleAll.count}`,
        goal: { op: '<=', value: 0 },
        detail: idleAll.firstErrors.join(' | '),
      },
      {
        name: 'idle window: latency p50',
        value: idleAll.p50,
        unit: 'ms',
        detail: 'the same reads once the workflow has finished (engine idle, same database)',
      },
      {
        name: 'idle window: latency p95',
        value: idleAll.p95,
        unit: 'ms',
        detail: `p99 ${idleAll.p99}, max ${idleAll.max} ms; server CPU ${cpuShare(idle.window)}`,
      },
    );
  }
  if (window.serverCpuMs !== null) {
    out.push({
      name: 'server CPU during the window',
      value: round((100 * window.serverCpuMs) / window.wallMs),
      unit: '% of a core',
      detail: `RSS ${window.serverRssMb ?? '?'} MB at the end of the window`,
    });
  }
  out.push({
    name: 'workflow: submission → root successful',
    value: round(run.workflowSeconds),
    unit: 's',
    detail: `${run.workflow.jobs} jobs sleeping ${run.workflow.sleepSeconds.min}–${run.workflow.sleepSeconds.max} s, ${options.concurrency} at once`,
  });
  out.push({
    name: 'problems after the run',
    value: run.problems.length,
    unit: '',
    goal: { op: '<=', value: 0 },
    detail: run.problems.join(' | '),
  });
  for (const route of routes.slice(0, -1)) {
    out.push({
      name: `${route.route} p95`,
      value: route.p95,
      unit: 'ms',
      detail: `n ${route.count}, errors ${route.errors}, p50 ${route.p50}, p99 ${route.p99}, max ${route.max} ms, ${route.meanBytes} B`,
    });
  }
  return out;
}

export async function serverLoadBench(options: ServerLoadOptions): Promise<ServerLoadReport> {
  const run = await runServerLoad(options);
  const order = READ_MIX.map((r) => r.name);
  const routes = summarize(run.samples, order);
  const idle =
    run.idle === null
      ? null
      : { routes: summarize(run.idle.samples, order), window: run.idle.window };
  const { json: _json, keep: _keep, ...settings } = options;
  return {
    benchmark: `Server load (${options.rate} reads/s for ${options.seconds} s, ${options.nodes} jobs running, ${options.database === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`,
    date: new Date().toISOString(),
    machine: machine(),
    measurements: measurementsOf(run, routes, idle, options),
    settings: { ...settings, database: settings.database.replace(/\/\/[^@/]*@/, '//…@') },
    routes,
    window: run.window,
    idle,
    workflow: { ...run.workflow, seconds: run.workflowSeconds },
    problems: run.problems,
    source: sourceVersion(),
    command: ['node --import tsx --conditions=@ketrew/source src/server-load-bench.ts']
      .concat(process.argv.slice(2))
      .join(' '),
  };
}

if (isMainModule(import.meta.url)) {
  const options = parseServerLoadOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(SERVER_LOAD_USAGE);
  } else {
    const report = await serverLoadBench(options);
    console.log(formatTable(report));
    console.log(`\n${routeTable(report.routes, report.idle?.routes)}`);
    console.log(
      `\nload average ${report.window.loadBefore.map((n) => n.toFixed(2)).join(', ')} before the window, ${report.window.loadAfter.map((n) => n.toFixed(2)).join(', ')} after`,
    );
    const { commit, uncommittedFiles } = report.source;
    console.log(
      commit === null
        ? 'source: not a git checkout'
        : `source: ${commit.slice(0, 12)}${uncommittedFiles ? ` + ${uncommittedFiles} uncommitted files` : ''}`,
    );
    if (options.json !== undefined) {
      writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    } else {
      console.log(JSON.stringify(report));
    }
    if (!report.measurements.every(meetsGoal)) process.exitCode = 1;
  }
}
