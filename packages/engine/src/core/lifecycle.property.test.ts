import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CORE_CONFIG, type CoreConfig } from './core-config.js';
import { simulate, type SimulationOptions } from './test-support/simulate.js';
import { randomWorkflow } from './test-support/random-workflow.js';

/*
 * Random workflows run by a tiny simulated runtime (test-support/simulate.ts) around the pure
 * core, with random backend answers, recoverable and fatal errors, user kills and restarts,
 * engine crashes and orphan sweeps. The simulator checks, at every transition: a node never
 * starts before everything it waits for succeeded, a merged node never starts, on-success and
 * on-failure edges fire only on that outcome (never from a kill of a passive node), attempts never
 * exceed retry.attempts (+ restarts), recoverable errors stay under the maximum; and at the end:
 * every activated node finished, no job was submitted twice, the passive leftovers are orphans.
 */

const config: CoreConfig = { ...DEFAULT_CORE_CONFIG, maximumSuccessiveAttempts: 4 };

function run(overrides: Partial<SimulationOptions>) {
  return fc.property(randomWorkflow(10), fc.integer(), (nodes, seed) => {
    const result = simulate({
      nodes,
      seed,
      config,
      chaosSteps: 150,
      kills: false,
      restarts: false,
      crashes: false,
      ...overrides,
    });
    expect(result.violations).toEqual([]);
    for (const id of result.activated) {
      expect(result.nodes.get(id)?.state.kind).toBe('finished');
    }
    return true;
  });
}

describe('random workflows run to completion under the core', () => {
  it('with random backend answers and errors', () => {
    fc.assert(run({}), { numRuns: 150 });
  });

  it('with user kills and engine crashes', () => {
    fc.assert(run({ kills: true, crashes: true }), { numRuns: 150 });
  });

  it('with restarts as well', () => {
    fc.assert(run({ kills: true, crashes: true, restarts: true }), { numRuns: 150 });
  });

  it('the simulation exercises the interesting paths (the properties are not vacuous)', () => {
    const totals = new Map<string, number>();
    let submitted = 0;
    fc.assert(
      fc.property(randomWorkflow(10), fc.integer(), (nodes, seed) => {
        const result = simulate({
          nodes,
          seed,
          config,
          chaosSteps: 150,
          kills: true,
          restarts: true,
          crashes: true,
        });
        for (const [kind, count] of result.exercised)
          totals.set(kind, (totals.get(kind) ?? 0) + count);
        submitted += result.submissions.size;
        expect(result.violations).toEqual([]);
      }),
      { numRuns: 60, seed: 42 },
    );
    expect(submitted).toBeGreaterThan(50);
    for (const kind of [
      'activate',
      'condition-evaluated',
      'dependencies-succeeded',
      'dependencies-failed',
      'started',
      'found',
      'polled',
      'kill-succeeded',
      'backend-failed',
      'kill',
      'restart',
      'orphaned',
      'wake-up',
    ]) {
      expect(totals.get(kind) ?? 0, kind).toBeGreaterThan(0);
    }
  });
});
