import fc from 'fast-check';
import type { FailureReasonKind } from '@ketrew/edsl';
import type { SimulatedNode } from './simulate.js';
import { CONDITION, DAEMONIZE, spec } from './node-fixtures.js';

/** Test-only: fast-check arbitraries of random workflows (DAGs through `dependsOn`). */

const RETRY_REASONS: readonly FailureReasonKind[] = [
  'non-zero-exit',
  'killed',
  'timeout',
  'lost',
  'start-failed',
  'condition-not-ensured',
  'dependency-failed',
  'backend-error',
];

const shape = fc.record({
  condition: fc.boolean(),
  runsAJob: fc.boolean(),
  dependencies: fc.array(fc.nat(), { maxLength: 3 }),
  onSuccess: fc.option(fc.nat(), { nil: null }),
  onFailure: fc.option(fc.nat(), { nil: null }),
  equivalentTo: fc.option(fc.nat(), { freq: 6, nil: null }),
  retry: fc.option(
    fc.record({
      attempts: fc.integer({ min: 1, max: 3 }),
      on: fc.subarray([...RETRY_REASONS]),
    }),
    { nil: null },
  ),
  timeout: fc.boolean(),
  active: fc.boolean(),
});

/**
 * Between 1 and `maxNodes` nodes; node i depends only on nodes before it (so the graph is
 * acyclic), activation edges go anywhere, some nodes are merged into an earlier one, and the last
 * node is always activated by the user.
 */
export function randomWorkflow(maxNodes = 10): fc.Arbitrary<SimulatedNode[]> {
  return fc.array(shape, { minLength: 1, maxLength: maxNodes }).map((shapes) =>
    shapes.map((s, i) => {
      const id = `n${i}`;
      const other = (pick: number | null): string[] =>
        pick === null || shapes.length < 2 || pick % shapes.length === i
          ? []
          : [`n${pick % shapes.length}`];
      return {
        spec: spec({
          id,
          active: s.active || i === shapes.length - 1,
          condition: s.condition ? CONDITION : null,
          make: s.runsAJob ? DAEMONIZE : { backend: 'no-operation' },
          dependsOn: i === 0 ? [] : [...new Set(s.dependencies.map((d) => `n${d % i}`))],
          onSuccessActivate: other(s.onSuccess),
          onFailureActivate: other(s.onFailure),
          retry:
            s.retry === null ? null : { ...s.retry, backoff: { initial: 1, factor: 2, max: 30 } },
          timeout: s.timeout ? 3 : null,
        }),
        equivalentTo: i === 0 || s.equivalentTo === null ? null : `n${s.equivalentTo % i}`,
      };
    }),
  );
}
