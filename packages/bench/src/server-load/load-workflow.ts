import { join } from 'node:path';
import type { Host, WorkflowSpecInput } from '@ketrew/edsl';
import { seededRandom } from './seeded-random.js';

/** What the benchmark submits, and what it needs to know about it. */
export interface LoadWorkflow {
  readonly spec: WorkflowSpecInput;
  readonly rootId: string;
  readonly jobIds: readonly string[];
  /** Bounds of the jobs' `sleep`, seconds. */
  readonly sleepSeconds: { readonly min: number; readonly max: number };
}

/**
 * The workflow under load: a root (no-op) depending on `nodes` daemonized jobs on this machine,
 * each running `sleep` for a random time. With `concurrency` jobs at once the jobs run in about
 * `nodes / concurrency` waves; the mean sleep is chosen so that the waves last about twice the
 * measured window, so jobs start and finish all through it. Ids start with `prefix` (unique per
 * run: a PostgreSQL database may already hold earlier runs).
 */
export function loadWorkflow(options: {
  readonly nodes: number;
  readonly concurrency: number;
  readonly seconds: number;
  readonly seed: number;
  readonly prefix: string;
  readonly directory: string;
}): LoadWorkflow {
  const { nodes, prefix } = options;
  const waves = Math.max(1, nodes / Math.min(options.concurrency, nodes));
  const mean = Math.max(1, (2 * options.seconds) / waves);
  const sleepSeconds = { min: round(mean / 2), max: round((mean * 3) / 2) };
  const random = seededRandom(options.seed);
  const host: Host = {
    name: 'localhost',
    connection: { kind: 'localhost' },
    playground: join(options.directory, 'playground'),
    shell: ['sh', '-c'],
    timeout: null,
  };
  const jobIds = Array.from({ length: nodes }, (_, i) => `${prefix}-job-${i}`);
  const rootId = `${prefix}-root`;
  const jobs = jobIds.map((id, i) => {
    const duration = round(sleepSeconds.min + random() * (sleepSeconds.max - sleepSeconds.min));
    return {
      id,
      name: `sleep ${duration} s (job ${i} of ${nodes})`,
      tags: ['server-load', `group-${i % 10}`],
      make: {
        backend: 'daemonize',
        host,
        program: { kind: 'sh' as const, command: `sleep ${duration}` },
      },
    };
  });
  const root = {
    id: rootId,
    name: `server load: ${nodes} sleeping jobs`,
    tags: ['server-load'],
    active: true,
    dependsOn: jobIds,
  };
  return {
    spec: { version: 1, root: rootId, nodes: [root, ...jobs] },
    rootId,
    jobIds,
    sleepSeconds,
  };
}

const round = (value: number): number => Math.round(value * 100) / 100;
