import type { EngineNode } from '../engine-node.js';
import type { TransitionResult } from '../transition-result.js';
import { awaitedIds } from '../activation-change.js';

/** Test-only: the invariants the simulator checks after every transition. */
export interface InvariantContext {
  /** Every node, already updated with this transition's result. */
  readonly nodes: ReadonlyMap<string, EngineNode>;
  /** retry.attempts (or 1) plus the restarts of the node so far. */
  readonly allowedAttempts: number;
  readonly maximumErrors: number;
}

export function transitionViolations(
  before: EngineNode,
  { node, commands }: TransitionResult,
  context: InvariantContext,
): string[] {
  const problems: string[] = [];
  const id = node.id;
  if (node.successiveErrors >= context.maximumErrors) problems.push(`${id}: too many errors`);
  if (node.attempt > context.allowedAttempts) {
    problems.push(`${id}: attempt ${node.attempt} > ${context.allowedAttempts}`);
  }
  if (node.state.kind === 'starting' && before.state.kind !== 'starting') {
    if (node.equivalentTo !== null) problems.push(`${id}: a merged node started a job`);
    const succeeded = awaitedIds(node).every((other) => {
      const state = context.nodes.get(other)?.state;
      return state?.kind === 'finished' && state.outcome === 'successful';
    });
    if (!succeeded) problems.push(`${id} started before its dependencies succeeded`);
  }
  for (const command of commands) {
    if (command.kind !== 'activate') continue;
    const by = command.by;
    const state = node.state;
    if (by.kind !== 'success-of' && by.kind !== 'failure-of') continue;
    const outcome = by.kind === 'success-of' ? 'successful' : 'failed';
    const edges =
      by.kind === 'success-of' ? node.spec.onSuccessActivate : node.spec.onFailureActivate;
    if (state.kind !== 'finished' || state.outcome !== outcome) {
      problems.push(`${id}: ${by.kind} edges fired in ${state.kind}`);
    }
    if (state.kind === 'finished' && before.state.kind === 'passive') {
      problems.push(`${id}: edges fired by a node killed from passive`);
    }
    if (!command.ids.every((target) => edges.includes(target))) {
      problems.push(`${id}: wrong edge targets`);
    }
  }
  return problems;
}
