import type { FailureReason } from '../core/failure-reason.js';
import type { Clock } from '../runtime/clock.js';
import { realClock } from '../runtime/clock.js';

/** How a fake job ends. */
export type FakeOutcome = 'succeeded' | { readonly failed: FailureReason } | 'lost';

/** An error a fake call answers with: the first `times` calls (default: every call). */
export interface FakeError {
  readonly recoverable: boolean;
  readonly message: string;
  readonly times?: number | undefined;
}

/** What a fake job does; every field is optional. */
export interface FakeJobScript {
  /** Clock milliseconds from start to end. Default 0 (done at the first poll). */
  readonly duration?: number | undefined;
  /** Default `'succeeded'`. `'lost'`: the job vanishes at its end, without a record. */
  readonly outcome?: FakeOutcome | undefined;
  /** `start` calls for this job name fail with this error (before submitting anything). */
  readonly startError?: FakeError | undefined;
  /**
   * The job is submitted, then `start` throws this error anyway, as when the answer of a
   * scheduler is lost: the engine must `find` the job rather than start a second one.
   */
  readonly errorAfterSubmit?: FakeError | undefined;
  /** Clock milliseconds `start` takes. Default 0. */
  readonly startLatency?: number | undefined;
  /** Polls of this job answer this error outcome. */
  readonly pollErrors?: FakeError | undefined;
  /** `kill` calls for this job throw this error. */
  readonly killError?: FakeError | undefined;
  /** What the job writes. Defaults: `stdout of <jobName>\n`, empty stderr. */
  readonly stdout?: string | undefined;
  readonly stderr?: string | undefined;
}

/** A job of the fake cluster: plain data. */
export interface FakeJob {
  readonly id: string;
  readonly jobName: string;
  readonly nodeId: string;
  readonly attempt: number;
  readonly backend: string;
  readonly startedAt: number;
  readonly script: FakeJobScript;
  killedAt: number | null;
  polls: number;
  killCalls: number;
}

/** Where a fake job stands at some time. */
export type FakeJobStatus =
  | { readonly kind: 'running' }
  | { readonly kind: 'succeeded'; readonly at: number }
  | { readonly kind: 'failed'; readonly reason: FailureReason; readonly at: number }
  | { readonly kind: 'killed'; readonly at: number }
  | { readonly kind: 'vanished'; readonly at: number };

/**
 * The world fake jobs live in, shared by every `FakeBackend` built on it, so that it outlives an
 * engine: a crash test drops the engine, builds a new one on the same cluster, and its backend
 * finds the jobs again. Jobs progress with the cluster's clock. Counts every submission per job
 * name, so tests can assert that each job ran exactly once.
 *
 * @example
 * const cluster = new FakeCluster({ clock });
 * const backend = new FakeBackend({ cluster, script: () => ({ duration: 5_000 }) });
 * // … run an engine, drop it, run another …
 * expect(cluster.submissions('ketrew-n1-a1')).toBe(1);
 */
export class FakeCluster {
  readonly clock: Clock;
  readonly #jobs = new Map<string, FakeJob>();
  readonly #byName = new Map<string, FakeJob[]>();
  readonly #calls = new Map<string, Map<string, number>>();
  #nextId = 1;

  constructor(options: { readonly clock?: Clock | undefined } = {}) {
    this.clock = options.clock ?? realClock;
  }

  /** Submit a job now. */
  submit(job: Omit<FakeJob, 'id' | 'startedAt' | 'killedAt' | 'polls' | 'killCalls'>): FakeJob {
    const created: FakeJob = {
      id: `fake-${this.#nextId++}`,
      jobName: job.jobName,
      nodeId: job.nodeId,
      attempt: job.attempt,
      backend: job.backend,
      startedAt: this.clock.now(),
      script: job.script,
      killedAt: null,
      polls: 0,
      killCalls: 0,
    };
    this.#jobs.set(created.id, created);
    const named = this.#byName.get(created.jobName);
    if (named === undefined) this.#byName.set(created.jobName, [created]);
    else named.push(created);
    return created;
  }

  job(id: string): FakeJob | undefined {
    return this.#jobs.get(id);
  }

  jobs(): readonly FakeJob[] {
    return [...this.#jobs.values()];
  }

  /** Jobs submitted under this name (a correct engine submits each name at most once). */
  submissions(jobName: string): number {
    return this.#byName.get(jobName)?.length ?? 0;
  }

  /** The latest job of this name that still has a record now. */
  findByName(jobName: string): FakeJob | undefined {
    const named = this.#byName.get(jobName) ?? [];
    for (let i = named.length - 1; i >= 0; i--) {
      const job = named[i] as FakeJob;
      if (this.status(job).kind !== 'vanished') return job;
    }
    return undefined;
  }

  /** Count one call of `what` for this key and return how many there were, this one included. */
  countCall(what: string, key: string): number {
    let counts = this.#calls.get(what);
    if (counts === undefined) {
      counts = new Map();
      this.#calls.set(what, counts);
    }
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n;
  }

  /** Where the job stands at `time` (default now). */
  status(job: FakeJob, time: number = this.clock.now()): FakeJobStatus {
    const end = job.startedAt + (job.script.duration ?? 0);
    if (job.killedAt !== null && job.killedAt < end && time >= job.killedAt) {
      return { kind: 'killed', at: job.killedAt };
    }
    if (time < end) return { kind: 'running' };
    const outcome = job.script.outcome ?? 'succeeded';
    if (outcome === 'succeeded') return { kind: 'succeeded', at: end };
    if (outcome === 'lost') return { kind: 'vanished', at: end };
    return { kind: 'failed', reason: outcome.failed, at: end };
  }

  /** When the job stopped using its resources (end, kill, or vanishing); `null` while running. */
  endOf(job: FakeJob, time: number = this.clock.now()): number | null {
    const status = this.status(job, time);
    return status.kind === 'running' ? null : status.at;
  }

  /** Jobs running now. */
  running(): readonly FakeJob[] {
    return this.jobs().filter((job) => this.status(job).kind === 'running');
  }

  /** The most jobs that were ever running at the same time (up to now). */
  maxConcurrent(filter: (job: FakeJob) => boolean = () => true): number {
    const points: [number, number][] = [];
    for (const job of this.#jobs.values()) {
      if (!filter(job)) continue;
      const end = this.endOf(job) ?? Number.POSITIVE_INFINITY;
      if (end <= job.startedAt) continue;
      points.push([job.startedAt, 1], [end, -1]);
    }
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current = 0;
    let max = 0;
    for (const [, delta] of points) {
      current += delta;
      max = Math.max(max, current);
    }
    return max;
  }
}
