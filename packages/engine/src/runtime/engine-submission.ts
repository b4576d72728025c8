import type { WorkflowSpec } from '@ketrew/edsl';
import type { NodeCommand } from '../core/commands.js';
import type { EngineNode } from '../core/engine-node.js';
import type { Store } from '../ports/store.js';
import type { Clock } from './clock.js';
import type { EngineConfig } from './engine-config.js';
import type { EngineEvent } from './engine-events.js';
import { equivalenceKeysOf, planSubmission } from './plan-submission.js';
import { startReadyNodes } from './start-ready-nodes.js';
import type { TickProcessor } from './tick-processor.js';
import type { SubmitResult } from './engine-types.js';

/** What `insertSubmission` needs of the engine. */
export interface SubmissionContext {
  readonly store: Store;
  readonly processor: TickProcessor;
  readonly config: EngineConfig;
  readonly clock: Clock;
  readonly newWorkflowId: () => string;
  /** Carry out a command of the insert once it is written (write-ahead, as in a tick). */
  readonly carryOut: (node: EngineNode, command: NodeCommand) => void;
  readonly emit: (event: EngineEvent) => void;
}

/**
 * The part of `Engine.submit` that runs under the engine's lock, once the spec is validated:
 * merge its nodes into equivalent ones, plan the first cascade (the root's activation and the
 * ready leaves started, slots taken), insert it in one store transaction, then adopt the nodes,
 * carry out their commands and announce the workflow. If the insert fails, the slots it took
 * are given back and nothing else has changed.
 */
export async function insertSubmission(
  spec: WorkflowSpec,
  context: SubmissionContext,
): Promise<SubmitResult> {
  const { store, processor, config } = context;
  const keys = equivalenceKeysOf(spec);
  const candidates = keys.length === 0 ? [] : await store.findEquivalent(keys);
  const fresh = candidates.map((c) => processor.nodes.get(c.id) ?? c);
  const time = context.clock.now();
  const planned = planSubmission(spec, {
    workflowId: context.newWorkflowId(),
    time,
    candidates: fresh,
    core: config.core,
  });
  processor.learnHosts(planned.nodes);
  const { plan, slots } = startReadyNodes(planned, {
    time,
    config,
    limiter: processor.limiter,
    readyQueue: processor.readyQueue,
  });
  try {
    await store.insertWorkflow(plan.workflow, plan.nodes, plan.history);
  } catch (error) {
    for (const id of slots) processor.limiter.release(id);
    throw error;
  }
  const outside = fresh.filter((c) => !processor.nodes.has(c.id));
  processor.adopt([...outside, ...plan.nodes]);
  for (const { node, command } of plan.commands) context.carryOut(node, command);
  for (const node of plan.nodes) processor.checkReady(node.id);
  const nodeIds = plan.nodes.map((n) => n.id);
  context.emit({ kind: 'workflow-submitted', time, workflowId: plan.workflow.id, nodeIds });
  return { workflowId: plan.workflow.id, nodeIds, merged: Object.fromEntries(plan.merged) };
}
