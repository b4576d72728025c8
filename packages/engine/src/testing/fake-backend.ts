import type { BuildProcessSpec, NodeSpec } from '@ketrew/edsl';
import type { RunState } from '../core/node-state.js';
import { BackendError, UnsupportedOperationError } from '../errors.js';
import type {
  Backend,
  BackendQuery,
  LogChunk,
  LogStream,
  PollOutcome,
  StartContext,
} from '../ports/backend.js';
import type { Clock } from '../runtime/clock.js';
import { FakeCluster, type FakeError, type FakeJob, type FakeJobScript } from './fake-cluster.js';

export interface FakeBackendOptions {
  /** The `make.backend` value it handles. Default `'fake'`. */
  readonly name?: string | undefined;
  /** Where its jobs live; share one between backends (and engines) to survive a crash. */
  readonly cluster?: FakeCluster | undefined;
  /** Clock of a new cluster when none is given (default: the wall clock). */
  readonly clock?: Clock | undefined;
  /** What each job does, asked at every `start` call. Default: succeed at once. */
  readonly script?: ((ctx: StartContext) => FakeJobScript) | undefined;
  /** Clock milliseconds every `poll` call takes. Default 0. */
  readonly pollLatency?: number | undefined;
}

/** The run state of a fake job: plain JSON. */
export interface FakeRunState extends RunState {
  readonly fakeJobId: string;
  readonly jobName: string;
}

const QUERIES: readonly BackendQuery[] = [
  { name: 'status', description: 'The job as the fake cluster knows it (JSON)' },
  { name: 'script', description: 'The script the job runs' },
];

/**
 * A scriptable in-memory `Backend`, the reference implementation of the port (like kysely's
 * in-memory driver): outcomes, durations, latencies, errors and lost jobs are decided per job by
 * `script`, time comes from the cluster's clock, and the jobs live in a `FakeCluster` that
 * outlives the backend. Passes `describeBackendContract`.
 *
 * @example
 * const backend = new FakeBackend({
 *   clock,
 *   script: (ctx) => ctx.nodeId === 'align' ? { duration: 60_000 } : { outcome: 'lost' },
 * });
 */
export class FakeBackend implements Backend {
  readonly name: string;
  readonly cluster: FakeCluster;
  readonly #script: (ctx: StartContext) => FakeJobScript;
  readonly #pollLatency: number;
  readonly #activityListeners = new Set<() => void>();

  constructor(options: FakeBackendOptions = {}) {
    this.name = options.name ?? 'fake';
    this.cluster = options.cluster ?? new FakeCluster({ clock: options.clock });
    this.#script = options.script ?? (() => ({}));
    this.#pollLatency = options.pollLatency ?? 0;
  }

  async start(ctx: StartContext): Promise<RunState> {
    if (ctx.node.make.backend !== this.name) {
      throw new BackendError(`${this.name} cannot start a ${ctx.node.make.backend} job`, {
        recoverable: false,
      });
    }
    const script = this.#script(ctx);
    if (script.startLatency !== undefined) await this.cluster.clock.sleep(script.startLatency);
    const calls = this.cluster.countCall('start', ctx.jobName);
    throwScripted(script.startError, calls, `start of ${ctx.jobName}`);
    const job = this.cluster.submit({
      jobName: ctx.jobName,
      nodeId: ctx.nodeId,
      attempt: ctx.attempt,
      backend: this.name,
      script,
    });
    throwScripted(script.errorAfterSubmit, calls, `answer to the start of ${ctx.jobName}`);
    return runStateOf(job);
  }

  async poll(runs: readonly RunState[]): Promise<readonly PollOutcome[]> {
    if (this.#pollLatency > 0) await this.cluster.clock.sleep(this.#pollLatency);
    return runs.map((run) => this.#pollOne(run));
  }

  async kill(run: RunState): Promise<void> {
    const job = this.#job(run);
    if (job === undefined) return;
    job.killCalls++;
    throwScripted(job.script.killError, job.killCalls, `kill of ${job.jobName}`);
    if (this.cluster.status(job).kind === 'running') job.killedAt = this.cluster.clock.now();
  }

  async find(jobName: string, _make: BuildProcessSpec, _node: NodeSpec): Promise<RunState | null> {
    const job = this.cluster.findByName(jobName);
    return job === undefined || job.backend !== this.name ? null : runStateOf(job);
  }

  async logs(
    run: RunState,
    options: {
      readonly stream: LogStream;
      readonly offset?: number | undefined;
      readonly length?: number | undefined;
    },
  ): Promise<LogChunk> {
    const job = this.#requireJob(run);
    const bytes = Buffer.from(this.#content(job, options.stream), 'utf8');
    const offset = Math.min(Math.max(0, options.offset ?? 0), bytes.length);
    const end =
      options.length === undefined ? bytes.length : Math.min(bytes.length, offset + options.length);
    return { content: bytes.subarray(offset, end).toString('utf8'), nextOffset: end };
  }

  /** Hints reach `onActivity` only when a test calls `emitActivity()`. */
  watchActivity(onActivity: () => void): () => void {
    const listener = (): void => onActivity();
    this.#activityListeners.add(listener);
    return () => {
      this.#activityListeners.delete(listener);
    };
  }

  /** Send a hint to every `watchActivity` subscriber, as a backend does when a job may have ended. */
  emitActivity(): void {
    for (const listener of [...this.#activityListeners]) listener();
  }

  /** How many `watchActivity` subscriptions are active. */
  get activityWatchers(): number {
    return this.#activityListeners.size;
  }

  async queries(_run: RunState): Promise<readonly BackendQuery[]> {
    return QUERIES;
  }

  async query(run: RunState, name: string): Promise<string> {
    const job = this.#requireJob(run);
    switch (name) {
      case 'status':
        return JSON.stringify({ ...job, status: this.cluster.status(job) }, null, 2);
      case 'script':
        return this.#content(job, 'script');
      default:
        throw new UnsupportedOperationError(this.name, `query ${JSON.stringify(name)}`);
    }
  }

  #pollOne(run: RunState): PollOutcome {
    const job = this.#job(run);
    if (job === undefined) {
      return { kind: 'lost', message: `no job ${String(run['fakeJobId'])} on this cluster` };
    }
    job.polls++;
    const error = job.script.pollErrors;
    if (error !== undefined && (error.times === undefined || job.polls <= error.times)) {
      return { kind: 'error', recoverable: error.recoverable, message: error.message };
    }
    const status = this.cluster.status(job);
    switch (status.kind) {
      case 'running':
        return { kind: 'running' };
      case 'succeeded':
        return { kind: 'succeeded' };
      case 'failed':
        return { kind: 'failed', reason: status.reason };
      case 'killed':
        return { kind: 'failed', reason: { kind: 'killed' } };
      case 'vanished':
        return { kind: 'lost', message: `job ${job.id} (${job.jobName}) vanished` };
      default:
        return unreachable(status);
    }
  }

  #content(job: FakeJob, stream: LogStream): string {
    switch (stream) {
      case 'stdout':
        return job.script.stdout ?? `stdout of ${job.jobName}\n`;
      case 'stderr':
        return job.script.stderr ?? '';
      case 'log':
        return `start\t${job.startedAt}\n`;
      case 'script':
        return `#!/bin/sh\n# fake job ${job.jobName} of node ${job.nodeId}\n`;
      default:
        return unreachable(stream);
    }
  }

  #job(run: RunState): FakeJob | undefined {
    const id = run['fakeJobId'];
    return typeof id === 'string' ? this.cluster.job(id) : undefined;
  }

  #requireJob(run: RunState): FakeJob {
    const job = this.#job(run);
    if (job === undefined) {
      throw new BackendError(`no job ${String(run['fakeJobId'])} on this cluster`, {
        recoverable: false,
      });
    }
    return job;
  }
}

function runStateOf(job: FakeJob): FakeRunState {
  return { fakeJobId: job.id, jobName: job.jobName };
}

function throwScripted(error: FakeError | undefined, call: number, what: string): void {
  if (error === undefined || (error.times !== undefined && call > error.times)) return;
  throw new BackendError(`${what}: ${error.message}`, { recoverable: error.recoverable });
}

function unreachable(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
