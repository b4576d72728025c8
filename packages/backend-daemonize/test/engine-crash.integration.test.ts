import { join } from 'node:path';
import type { WorkflowSpecInput } from '@ketrew/edsl';
import type { Engine } from '@ketrew/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { killJobsUnder, temporaryDirectory, waitFor } from './helpers.js';
import {
  hostAt,
  linesOf,
  loadSqliteStore,
  nodesOf,
  openTestStore,
  spawnEngineChild,
  testEngine,
  waitUntilFinished,
  type TestStore,
} from './support/engine-harness.js';

// DESIGN.md §5 and §12: `kill -9` of the process running the engine, while daemonized jobs run;
// a new engine on the same SQLite file finishes the workflow with 0 jobs lost and 0 run twice.
// Needs the SQLite file store: with MemoryStore a crash loses everything.

const sqlite = await loadSqliteStore();
const skipReason = 'create' in sqlite ? null : sqlite.unavailable;
const JOBS = 50;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(skipReason !== null)('kill -9 of the engine mid-run (SQLite file store)', () => {
  it(
    `loses none of ${JOBS} daemonized jobs and runs none twice`,
    { timeout: 240_000 },
    async () => {
      const temporary = await temporaryDirectory();
      const dir = temporary.path;
      cleanups.push(async () => {
        await killJobsUnder(dir);
        await temporary.cleanup();
      });
      const host = hostAt(dir);
      const output = join(dir, 'done.txt');
      const jobIds = Array.from({ length: JOBS }, (_, i) => `job-${i}`);
      const workflow: WorkflowSpecInput = {
        version: 1,
        root: 'all',
        nodes: [
          ...jobIds.map((id, i) => ({
            id,
            name: id,
            make: {
              backend: 'daemonize',
              host,
              program: {
                kind: 'sh' as const,
                command: `sleep ${1 + (i % 3)}; echo ${id} >> '${output}'`,
              },
            },
          })),
          { id: 'all', name: 'all', active: true, dependsOn: jobIds },
        ],
      };
      // 10 jobs at a time, so that when the engine dies some jobs are done, some run, some wait.
      const config = { hostCpus: { [host.name]: 10 } };
      const databasePath = join(dir, 'ketrew.sqlite');

      const first = await spawnEngineChild({ databasePath, workflow, config });
      cleanups.push(async () => {
        first.child.kill('SIGKILL');
        await first.exited;
      });
      await waitFor(
        'a dozen jobs to finish',
        async () => (await linesOf(output)).length >= 12,
        120_000,
      );
      first.child.kill('SIGKILL');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

      const opened: TestStore = await openTestStore(databasePath);
      expect(opened.kind).toBe('sqlite');
      const engine: Engine = testEngine(opened.store, {
        config: { ...config, recoveryGraceMs: 1_000 },
      });
      cleanups.push(async () => {
        await engine.stop();
        await opened.close();
      });
      await opened.store.migrate();
      const atCrash = await nodesOf(opened.store, [...jobIds, 'all']);
      // The crash happened mid-run: jobs were running, and more work was left to do.
      expect(atCrash.filter((node) => node.state.kind !== 'finished').length).toBeGreaterThan(0);
      expect(atCrash.filter((node) => node.state.kind === 'running').length).toBeGreaterThan(0);

      await engine.start();
      const nodes = await waitUntilFinished(opened.store, [...jobIds, 'all'], 180_000);

      for (const node of nodes) {
        expect({ id: node.id, state: node.state, attempt: node.attempt }).toEqual({
          id: node.id,
          state: { kind: 'finished', outcome: 'successful', from: 'verified-success' },
          attempt: 1,
        });
      }
      const lines = await linesOf(output);
      expect(lines).toHaveLength(JOBS);
      expect([...lines].sort()).toEqual([...jobIds].sort());
    },
  );
});

describe.runIf(skipReason !== null)('kill -9 of the engine mid-run', () => {
  it.skip(`needs the SQLite file store: ${skipReason ?? ''}`, () => undefined);
});
