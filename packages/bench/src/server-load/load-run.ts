import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { apiReader, type ApiReader, type CountsAnswer, type NodePage } from './api-reader.js';
import { initKetrew, processUsage, type KetrewInstallation } from './ketrew-installation.js';
import { loadWorkflow, type LoadWorkflow } from './load-workflow.js';
import { runOpenLoop, type ReadSample } from './open-loop.js';
import { planReads, READ_MIX, type MixTargets } from './read-mix.js';
import type { ServerLoadOptions } from './server-load-options.js';

/** What the engine was doing around the measured window. */
export interface WindowFacts {
  readonly runningAtStart: number;
  readonly runningAtEnd: number;
  readonly successfulAtStart: number;
  readonly successfulAtEnd: number;
  /** The server process's CPU time over the window, ms (null where /proc is missing). */
  readonly serverCpuMs: number | null;
  readonly serverRssMb: number | null;
  readonly wallMs: number;
  /** `os.loadavg()` (what `uptime` prints) before and after the window. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
}

interface MeasuredWindow {
  readonly samples: readonly ReadSample[];
  readonly window: WindowFacts;
}

export interface LoadRun {
  readonly samples: readonly ReadSample[];
  readonly window: WindowFacts;
  /** The same reads once the workflow had finished (engine idle); `null` with `--no-idle`. */
  readonly idle: MeasuredWindow | null;
  readonly workflow: Pick<LoadWorkflow, 'rootId' | 'sleepSeconds'> & { readonly jobs: number };
  /** From submission to the root's success, s. */
  readonly workflowSeconds: number;
  /** Problems found by the checks after the run (empty when every job finished well). */
  readonly problems: readonly string[];
}

const log = (what: string): void =>
  console.error(`[server-load] ${new Date().toISOString()} ${what}`);

/** Poll `check` every `everyMs` until it answers true or `timeoutMs` passed; answers the last. */
async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 500,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > deadline) return false;
    await delay(everyMs);
  }
}

/** The targets of the mix: the `next` cursors of every page, jobs that have started. */
async function readTargets(
  api: ApiReader,
  workflowId: string,
  w: LoadWorkflow,
): Promise<MixTargets> {
  const cursors: string[] = [];
  for (let after: string | null = null; ;) {
    const query = new URLSearchParams({ workflow: workflowId, limit: '100' });
    if (after !== null) query.set('after', after);
    const page: NodePage = await api.get<NodePage>(`/api/v1/nodes?${query.toString()}`);
    if (page.next === null) break;
    cursors.push(page.next);
    after = page.next;
  }
  const running = await api.get<NodePage>(
    `/api/v1/nodes?${new URLSearchParams({ workflow: workflowId, state: 'running', limit: '1000' }).toString()}`,
  );
  const startedJobIds = running.nodes.map((n) => n.id).filter((id) => id !== w.rootId);
  if (startedJobIds.length === 0) throw new Error('no job is running: nothing to read logs of');
  return { workflowId, rootId: w.rootId, jobIds: w.jobIds, startedJobIds, cursors };
}

/** Processes still alive whose command line names `directory` (jobs left behind). */
function processesUnder(directory: string): string[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes(directory) && !line.includes('ps -eo'));
}

/**
 * The whole run: a fresh installation, the server started, the workflow submitted, the window
 * of open-loop reads while its jobs run, then the workflow awaited, the server stopped and the
 * leftovers checked. The temporary KETREW_ROOT is removed unless `keep`.
 */
export async function runServerLoad(options: ServerLoadOptions): Promise<LoadRun> {
  const root = mkdtempSync(join(tmpdir(), 'ketrew-server-load-'));
  let installation: KetrewInstallation | undefined;
  let serverRunning = false;
  try {
    log(`ketrew init in ${root} (${options.database}, engine.concurrency ${options.concurrency})`);
    installation = await initKetrew(root, options);
    log('ketrew start-server --daemonize');
    const profile = options.cpuProfileDirectory;
    await installation.ketrew(['start-server', '--daemonize'], {
      ...(profile === undefined
        ? {}
        : { nodeArguments: ['--cpu-prof', `--cpu-prof-dir=${profile}`] }),
    });
    serverRunning = true;
    const pid = installation.serverPid();
    if (options.nice !== undefined) {
      setPriority(pid, options.nice);
      setPriority(options.nice);
    }
    const api = apiReader(installation.url, installation.token);

    const workflow = loadWorkflow({
      ...options,
      prefix: `load-${Date.now().toString(36)}`,
      directory: root,
    });
    const file = join(root, 'workflow.json');
    writeFileSync(file, JSON.stringify(workflow.spec));
    log(
      `ketrew submit: a root over ${workflow.jobIds.length} jobs, sleep ${workflow.sleepSeconds.min}–${workflow.sleepSeconds.max} s`,
    );
    const submittedAt = performance.now();
    const answer = JSON.parse(
      await installation.ketrew(['submit', '--wet-run', '--json', file]),
    ) as { workflowId: string };
    const workflowId = answer.workflowId;

    const firstWave = Math.min(options.concurrency, options.nodes);
    const full = await waitFor(
      async () => (await api.countInState(workflowId, 'running')) >= firstWave,
      60_000,
    );
    if (!full) log(`the first wave is not all running after 60 s: measuring anyway`);
    const targets = await readTargets(api, workflowId, workflow);
    const reads = planReads(
      READ_MIX,
      targets,
      Math.round(options.rate * options.seconds),
      options.seed,
    );

    const counts = async (): Promise<CountsAnswer> =>
      api.get<CountsAnswer>(`/api/v1/counts?workflow=${encodeURIComponent(workflowId)}`);
    const { url, token } = installation;
    const measureWindow = async (label: string): Promise<MeasuredWindow> => {
      const runningAtStart = await api.countInState(workflowId, 'running');
      const successfulAtStart = (await counts()).counts.successful;
      const loadBefore = loadavg();
      const cpuBefore = processUsage(pid);
      log(
        `${label} window: ${reads.length} reads at ${options.rate}/s for ${options.seconds} s (${runningAtStart} jobs running)`,
      );
      const windowStart = performance.now();
      const samples = await runOpenLoop({ baseUrl: url, token, rate: options.rate, reads });
      const wallMs = performance.now() - windowStart;
      const cpuAfter = processUsage(pid);
      const loadAfter = loadavg();
      const runningAtEnd = await api.countInState(workflowId, 'running');
      const successfulAtEnd = (await counts()).counts.successful;
      log(
        `${label} window done: ${samples.filter((s) => s.error !== null).length} errors; ${runningAtEnd} jobs running`,
      );
      const window: WindowFacts = {
        runningAtStart,
        runningAtEnd,
        successfulAtStart,
        successfulAtEnd,
        serverCpuMs: cpuBefore && cpuAfter ? cpuAfter.cpuMs - cpuBefore.cpuMs : null,
        serverRssMb: cpuAfter?.rssMb ?? null,
        wallMs,
        loadBefore,
        loadAfter,
      };
      return { samples, window };
    };
    const busy = await measureWindow('busy');

    const problems: string[] = [];
    const expectedSeconds = (workflow.sleepSeconds.max + 2) * Math.ceil(options.nodes / firstWave);
    const finished = await waitFor(
      async () => {
        const { node } = await api.get<{ node: { state: { kind: string } } }>(
          `/api/v1/nodes/${encodeURIComponent(workflow.rootId)}`,
        );
        return node.state.kind === 'finished';
      },
      expectedSeconds * 3_000 + 120_000,
      1_000,
    );
    const workflowSeconds = (performance.now() - submittedAt) / 1000;
    const final = await counts();
    if (!finished)
      problems.push(`the root had not finished ${Math.round(workflowSeconds)} s after submission`);
    if (final.counts.successful !== options.nodes + 1) {
      problems.push(
        `${final.counts.successful} of ${options.nodes + 1} nodes succeeded: ${JSON.stringify(final.counts)}`,
      );
    }
    // The A/B: the same reads, same database, the engine idle.
    const idle = options.idleWindow && finished ? await measureWindow('idle') : null;
    log('ketrew stop-server');
    await installation.ketrew(['stop-server']);
    serverRunning = false;
    if (processUsage(pid) !== null)
      problems.push(`the server (pid ${pid}) is still alive after stop-server`);
    const left = processesUnder(root);
    if (left.length > 0) problems.push(`processes left behind: ${left.slice(0, 5).join('; ')}`);
    return {
      samples: busy.samples,
      window: busy.window,
      idle,
      workflow: {
        rootId: workflow.rootId,
        sleepSeconds: workflow.sleepSeconds,
        jobs: options.nodes,
      },
      workflowSeconds,
      problems,
    };
  } finally {
    if (serverRunning && installation !== undefined) {
      await installation.ketrew(['stop-server', '--force']).catch((error: unknown) => {
        log(`could not stop the server: ${(error as Error).message}`);
      });
    }
    if (options.keep) log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}
