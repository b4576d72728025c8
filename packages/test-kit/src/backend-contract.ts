import { NodeSpecSchema, type BuildProcessSpec } from '@ketrew/edsl';
import {
  UnsupportedOperationError,
  jobNameOf,
  type Backend,
  type PollOutcome,
  type RunState,
  type StartContext,
} from '@ketrew/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Start contexts for jobs whose behaviour the suite knows. Each call is a new node. */
export interface BackendContractJobs {
  /** Succeeds within seconds, writing `expectedStdout` to its standard output. */
  succeeding(): StartContext;
  /** Ends failed, with the reason `failingReason` (default `non-zero-exit`). */
  failing(): StartContext;
  /** Runs until killed (at least a minute). */
  long(): StartContext;
}

export interface BackendContractSubject {
  readonly backend: Backend;
  readonly jobs: BackendContractJobs;
  /** What a succeeding job writes to its standard output. */
  readonly expectedStdout: string;
  /** Another instance of the backend over the same system, as a restarted server builds it. */
  reopen(): Backend | Promise<Backend>;
  /** Let `ms` of the backend's time pass. Default: really wait. */
  wait?(ms: number): Promise<void>;
  cleanup(): Promise<void>;
}

/** The cases of the suite, by name (for `skip`). */
export const BACKEND_CONTRACT_CASES = [
  'start-then-succeed',
  'fail-with-reason',
  'kill-long-job',
  'kill-ended-job',
  'find-by-job-name',
  'poll-in-batch',
  'logs-with-offsets',
  'queries',
  'json-run-state',
] as const;

export type BackendContractCase = (typeof BACKEND_CONTRACT_CASES)[number];

export interface BackendContractOptions {
  /** Names the implementation in the test titles. */
  readonly name: string;
  readonly create: () => Promise<BackendContractSubject>;
  /** Cases this implementation cannot run here, by name. */
  readonly skip?: readonly BackendContractCase[] | undefined;
  /** Time between two polls while waiting for a job. Default 200 ms. */
  readonly pollIntervalMs?: number | undefined;
  /** How long a job may take to leave `running`. Default 60 s. */
  readonly jobTimeoutMs?: number | undefined;
  /** The reason kind of the failing job. Default `non-zero-exit`. */
  readonly failingReason?: string | undefined;
}

/**
 * The contract every `Backend` passes (DESIGN.md §6), run from a ten-line test file of the
 * implementation:
 *
 * @example
 * describeBackendContract({
 *   name: 'daemonize',
 *   create: async () => ({ backend, jobs, expectedStdout: 'hello\n', reopen, cleanup }),
 * });
 */
export function describeBackendContract(options: BackendContractOptions): void {
  const skipped = new Set<string>(options.skip ?? []);
  const pollEvery = options.pollIntervalMs ?? 200;
  const jobTimeout = options.jobTimeoutMs ?? 60_000;
  const testTimeout = jobTimeout * 2 + 10_000;
  const test = (name: BackendContractCase, title: string, body: () => Promise<void>): void => {
    it.skipIf(skipped.has(name))(`${name}: ${title}`, body, testTimeout);
  };

  describe(`Backend contract: ${options.name}`, () => {
    let subject: BackendContractSubject;
    beforeEach(async () => {
      subject = await options.create();
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    const wait = (ms: number): Promise<void> =>
      subject.wait === undefined
        ? new Promise((resolve) => setTimeout(resolve, ms))
        : subject.wait(ms);

    /** Poll until the run leaves `running`; returns the last outcome. */
    const settle = async (run: RunState, backend = subject.backend): Promise<PollOutcome> => {
      for (let waited = 0; ; waited += pollEvery) {
        const [outcome] = await backend.poll([run]);
        if (outcome === undefined) throw new Error('poll returned no outcome');
        if (outcome.kind !== 'running' && outcome.kind !== 'error') return outcome;
        if (waited > jobTimeout) throw new Error(`the job still runs after ${jobTimeout} ms`);
        await wait(pollEvery);
      }
    };

    test('start-then-succeed', 'a started job is polled until it succeeds', async () => {
      const run = await subject.backend.start(subject.jobs.succeeding());
      expect(typeof run).toBe('object');
      expect((await settle(run)).kind).toBe('succeeded');
    });

    test('fail-with-reason', 'a failing job fails with a classified reason', async () => {
      const run = await subject.backend.start(subject.jobs.failing());
      const outcome = await settle(run);
      expect(outcome.kind).toBe('failed');
      if (outcome.kind === 'failed') {
        expect(outcome.reason.kind).toBe(options.failingReason ?? 'non-zero-exit');
      }
    });

    test('kill-long-job', 'a killed job stops running and does not succeed', async () => {
      const run = await subject.backend.start(subject.jobs.long());
      const [first] = await subject.backend.poll([run]);
      expect(first?.kind).toBe('running');
      await subject.backend.kill(run);
      const outcome = await settle(run);
      expect(['failed', 'lost']).toContain(outcome.kind);
      if (outcome.kind === 'failed') {
        expect(['killed', 'non-zero-exit']).toContain(outcome.reason.kind);
      }
    });

    test('kill-ended-job', 'killing a job that already ended succeeds', async () => {
      const run = await subject.backend.start(subject.jobs.succeeding());
      await settle(run);
      await subject.backend.kill(run);
      expect((await settle(run)).kind).toBe('succeeded');
    });

    test('find-by-job-name', 'find returns the run of a started job, null for others', async () => {
      const ctx = subject.jobs.long();
      const run = await subject.backend.start(ctx);
      const found = await subject.backend.find(ctx.jobName, ctx.node.make, ctx.node);
      expect(found).not.toBeNull();
      const [outcome] = await subject.backend.poll([found as RunState]);
      expect(outcome?.kind).toBe('running');
      const unknown = jobNameOf(`never-started-${ctx.nodeId}`, 1);
      expect(await subject.backend.find(unknown, ctx.node.make, ctx.node)).toBeNull();
      await subject.backend.kill(run);
    });

    test('poll-in-batch', 'poll answers one outcome per run, in order', async () => {
      expect(await subject.backend.poll([])).toEqual([]);
      const runs = [
        await subject.backend.start(subject.jobs.succeeding()),
        await subject.backend.start(subject.jobs.long()),
        await subject.backend.start(subject.jobs.failing()),
      ];
      const [succeeding, long, failing] = runs as [RunState, RunState, RunState];
      await settle(succeeding);
      await settle(failing);
      const outcomes = await subject.backend.poll([failing, long, succeeding, long]);
      expect(outcomes.map((o) => o.kind)).toEqual(['failed', 'running', 'succeeded', 'running']);
      await subject.backend.kill(long);
    });

    test('logs-with-offsets', 'logs return the output from a byte offset', async () => {
      const run = await subject.backend.start(subject.jobs.succeeding());
      await settle(run);
      const expected = subject.expectedStdout;
      const all = await subject.backend.logs(run, { stream: 'stdout' });
      expect(all.content).toBe(expected);
      expect(all.nextOffset).toBe(Buffer.byteLength(expected));
      const rest = await subject.backend.logs(run, { stream: 'stdout', offset: all.nextOffset });
      expect(rest).toEqual({ content: '', nextOffset: all.nextOffset });
      const tail = await subject.backend.logs(run, { stream: 'stdout', offset: 1 });
      expect(tail.content).toBe(expected.slice(1));
      const head = await subject.backend.logs(run, { stream: 'stdout', offset: 0, length: 2 });
      expect(head).toEqual({ content: expected.slice(0, 2), nextOffset: 2 });
    });

    test('queries', 'queries are listed, run, and an unknown one is refused', async () => {
      const run = await subject.backend.start(subject.jobs.succeeding());
      await settle(run);
      const queries = await subject.backend.queries(run);
      for (const query of queries) {
        expect(typeof query.name).toBe('string');
        expect(typeof query.description).toBe('string');
      }
      const first = queries[0];
      if (first !== undefined)
        expect(typeof (await subject.backend.query(run, first.name))).toBe('string');
      await expect(subject.backend.query(run, 'no-such-query-42')).rejects.toBeInstanceOf(
        UnsupportedOperationError,
      );
    });

    test('json-run-state', 'the run state is JSON, and a new instance can poll it', async () => {
      const done = await subject.backend.start(subject.jobs.succeeding());
      const long = await subject.backend.start(subject.jobs.long());
      await settle(done);
      for (const run of [done, long]) expect(JSON.parse(JSON.stringify(run))).toEqual(run);
      const reopened = await subject.reopen();
      const copies = [done, long].map((run) => JSON.parse(JSON.stringify(run)) as RunState);
      const outcomes = await reopened.poll(copies);
      expect(outcomes.map((o) => o.kind)).toEqual(['succeeded', 'running']);
      await reopened.kill(copies[1] as RunState);
      expect((await settle(long)).kind).not.toBe('succeeded');
      await reopened.close?.();
    });
  });
}

/**
 * A start context for a node running `make`, with every default of the wire format filled in,
 * for contract subjects. Each node id gets its deterministic job name.
 */
export function startContextFor(
  make: BuildProcessSpec | Record<string, unknown>,
  options: { readonly nodeId: string; readonly attempt?: number | undefined },
): StartContext {
  const attempt = options.attempt ?? 1;
  const node = NodeSpecSchema.parse({ id: options.nodeId, name: options.nodeId, make });
  return { nodeId: node.id, attempt, jobName: jobNameOf(node.id, attempt), node };
}
