import type { PollStatus } from './events.js';
import type { NodeEvent } from './events.js';
import type { EngineNode } from './engine-node.js';
import type { RunState } from './node-state.js';
import type { CoreConfig } from './core-config.js';
import { DEFAULT_CORE_CONFIG } from './core-config.js';
import type { TransitionResult } from './transition-result.js';
import { applyChange, type NodeChange } from './node-change.js';
import { activateDependencies, enterActive } from './activation-change.js';
import { failOrRetry, succeed } from './ending-change.js';
import { onBackendFailed } from './backend-failure-change.js';
import { endKilling, onKill, onOrphaned } from './kill-change.js';
import { onWakeUp } from './wake-up-change.js';
import { jobNameOf } from './job-name.js';
import { sameJson } from './canonical-json.js';
import { timeoutWakeUp } from './timeout-wake-up.js';
import { ALREADY_DONE, BUILDING, DID_NOTHING, VERIFIED_SUCCESS } from './constant-states.js';

/**
 * The node lifecycle as a pure function (DESIGN.md §4, docs/state-machine.md): the node after
 * `event`, the commands the runtime must carry out, and the history entries to append.
 *
 * Contract: pure and total. It never throws and never reads a clock; time comes from
 * `event.time`, which becomes `updatedAt` whenever the node changes. An event that means
 * nothing in the node's state (a stale answer after a crash, a duplicate) is a no-op: the same
 * node object comes back with no commands and no history.
 *
 * @example
 * const { node: next, commands } = transition(node, { kind: 'activate', by: { kind: 'user' }, time });
 * // next.state.kind === 'active', commands = [{ kind: 'evaluate-condition', condition }]
 */
export function transition(
  node: EngineNode,
  event: NodeEvent,
  config: CoreConfig = DEFAULT_CORE_CONFIG,
): TransitionResult {
  const change = changeFor(node, event, config);
  return change === null
    ? { node, commands: [], history: [] }
    : applyChange(node, change, event.time);
}

function changeFor(node: EngineNode, event: NodeEvent, config: CoreConfig): NodeChange | null {
  const state = node.state;
  switch (event.kind) {
    case 'activate':
      return state.kind === 'passive' ? enterActive(node, event.by) : null;
    case 'condition-evaluated':
      return onConditionEvaluated(node, event.value, event.time);
    case 'dependencies-succeeded':
      return state.kind === 'building' ? onDependenciesSucceeded(node) : null;
    case 'dependencies-failed':
      if (state.kind !== 'building') return null;
      return failOrRetry(
        node,
        { kind: 'dependencies-failed', reason: { kind: 'dependency-failed', ids: event.ids } },
        event.time,
      );
    case 'started':
    case 'found':
      return onStarted(node, event.run, event.time);
    case 'polled':
      return onPolled(node, event.status, event.time);
    case 'kill-succeeded':
      return state.kind === 'killing' ? endKilling(node, state.reason, event.time) : null;
    case 'backend-failed':
      return onBackendFailed(node, event, config);
    case 'kill':
      return onKill(node, event.message);
    case 'restart':
      if (state.kind !== 'finished') return null;
      return { ...enterActive(node, { kind: 'restart' }), attempt: node.attempt + 1 };
    case 'orphaned':
      return onOrphaned(node);
    case 'wake-up':
      return onWakeUp(node, event);
    default:
      return unreachable(event);
  }
}

function onConditionEvaluated(node: EngineNode, value: boolean, time: number): NodeChange | null {
  const state = node.state;
  if (state.kind === 'active') {
    if (value) return succeed(node, [ALREADY_DONE]);
    return { states: [BUILDING], commands: activateDependencies(node) };
  }
  if (state.kind === 'ran-successfully' || state.kind === 'did-nothing') {
    if (value) return succeed(node, [VERIFIED_SUCCESS]);
    const reason = { kind: 'condition-not-ensured' } as const;
    return failOrRetry(node, { kind: 'did-not-ensure-condition', reason }, time);
  }
  return null;
}

function onDependenciesSucceeded(node: EngineNode): NodeChange {
  // A merged node ran nothing itself: the node it is equivalent to, one of the nodes it waited
  // for, succeeded, so its product is there.
  if (node.equivalentTo !== null) return succeed(node, [VERIFIED_SUCCESS]);
  const condition = node.spec.condition;
  if (node.spec.make.backend === 'no-operation') {
    if (condition === null) return succeed(node, [DID_NOTHING, VERIFIED_SUCCESS]);
    return {
      states: [DID_NOTHING],
      commands: [{ kind: 'evaluate-condition', condition }],
    };
  }
  const jobName = jobNameOf(node.id, node.attempt);
  return {
    states: [{ kind: 'starting', jobName }],
    commands: [{ kind: 'start', jobName, findFirst: false }],
  };
}

function onStarted(node: EngineNode, run: RunState, time: number): NodeChange | null {
  const state = node.state;
  if (state.kind === 'starting') {
    return {
      states: [{ kind: 'running', jobName: state.jobName, run, since: time }],
      commands: [{ kind: 'watch' }, ...timeoutWakeUp(node, time)],
    };
  }
  // The start was still in flight when the user killed the node: kill what it started.
  if (state.kind === 'killing' && state.run === null) {
    return {
      states: [{ ...state, run }],
      commands: [{ kind: 'kill', jobName: state.jobName, run }],
    };
  }
  return null;
}

function onPolled(node: EngineNode, status: PollStatus, time: number): NodeChange | null {
  const state = node.state;
  if (state.kind === 'killing') {
    if (status.kind === 'running') return null;
    return endKilling(node, state.reason, time, 'the job ended by itself while being killed');
  }
  if (state.kind !== 'running') return null;
  switch (status.kind) {
    case 'running': {
      const run = status.run ?? state.run;
      if (node.successiveErrors === 0 && sameJson(run, state.run)) return null;
      return { states: [{ ...state, run }], commands: [], successiveErrors: 0 };
    }
    case 'succeeded': {
      const ran = {
        kind: 'ran-successfully',
        jobName: state.jobName,
        run: status.run ?? state.run,
      } as const;
      const condition = node.spec.condition;
      if (condition === null) return succeed(node, [ran, VERIFIED_SUCCESS]);
      return { states: [ran], commands: [{ kind: 'evaluate-condition', condition }] };
    }
    case 'failed':
      return failOrRetry(
        node,
        { kind: 'failed-running', reason: status.reason, run: status.run ?? state.run },
        time,
      );
    case 'lost':
      return failOrRetry(
        node,
        {
          kind: 'failed-running',
          reason: { kind: 'lost', message: status.message },
          run: state.run,
        },
        time,
      );
    default:
      return unreachable(status);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled case ${JSON.stringify(value)}`);
}
