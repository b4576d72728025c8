import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { NodeEvent } from '../core/events.js';
import { transition } from '../core/transition.js';
import type { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { EngineConfig } from './engine-config.js';
import type { SubmissionPlan } from './plan-submission.js';
import type { ReadyQueue } from './ready-queue.js';
import { slotClaimOf } from './slot-claims.js';

/**
 * Take the next step of a submission's cascade before it is inserted: a new node that is
 * `building` and waits for nothing (no `dependsOn`, not merged) gets its slot now, if one is
 * free and no node waits for one, and enters `starting` (`dependencies-succeeded`), so it is
 * inserted ready to start — written once instead of twice. The `start` commands go with the plan
 * and are carried out after the insert (write-ahead, as for any start). Returns the plan and the
 * ids whose slots were taken: release them if the insert fails.
 */
export function startReadyNodes(
  plan: SubmissionPlan,
  context: {
    readonly time: number;
    readonly config: EngineConfig;
    readonly limiter: ConcurrencyLimiter;
    readonly readyQueue: ReadyQueue;
  },
): { readonly plan: SubmissionPlan; readonly slots: readonly string[] } {
  const { limiter, readyQueue, config } = context;
  if (readyQueue.size > 0) return { plan, slots: [] };
  const succeeded: NodeEvent = { kind: 'dependencies-succeeded', time: context.time };
  const nodes: EngineNode[] = [];
  const history: HistoryEntry[] = [...plan.history];
  const commands = [...plan.commands];
  const slots: string[] = [];
  for (const node of plan.nodes) {
    const claim = readyToStart(node) ? slotClaimOf(node, config) : null;
    if (claim === null || !limiter.canAcquire(claim)) {
      nodes.push(node);
      continue;
    }
    const result = transition(node, succeeded, config.core);
    limiter.acquire(node.id, claim);
    slots.push(node.id);
    nodes.push(result.node);
    for (const entry of result.history) history.push(entry);
    for (const command of result.commands) commands.push({ node: result.node, command });
  }
  if (slots.length === 0) return { plan, slots };
  return { plan: { ...plan, nodes, history, commands }, slots };
}

/** `building`, waiting for nothing, and with a job of its own to start. */
function readyToStart(node: EngineNode): boolean {
  return (
    node.state.kind === 'building' &&
    node.spec.dependsOn.length === 0 &&
    node.equivalentTo === null &&
    node.spec.make.backend !== 'no-operation'
  );
}
