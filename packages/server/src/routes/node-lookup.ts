import type { Backend, EngineNode, NodeState, RunState, Store } from '@ketrew/engine';
import { ServerError } from '../errors.js';
import type { ServerContext } from '../server-context.js';

/** The node with this id, or 404 `not-found`. */
export async function getNodeOr404(store: Store, id: string): Promise<EngineNode> {
  const [node] = await store.getNodes([id]);
  if (node === undefined) {
    throw new ServerError('not-found', `no node with id "${id}"`, { details: { id } });
  }
  return node;
}

/** A node's job: which attempt, its run state and the backend that tracks it. */
export interface NodeRun {
  readonly node: EngineNode;
  readonly attempt: number;
  readonly run: RunState;
  readonly backendName: string;
  readonly backend: Backend;
}

/**
 * The job of `attempt` (default: the latest attempt that had one), from the node's state or
 * else its history. 404 `no-run` when there is none (a passive node, a no-op, a job that never
 * started); 503 `backend-unavailable` when this server lacks the node's backend.
 */
export async function findNodeRun(
  context: ServerContext,
  id: string,
  attempt: number | undefined,
): Promise<NodeRun> {
  const node = await getNodeOr404(context.store, id);
  let found: { attempt: number; run: RunState } | null = null;
  const current = runOf(node.state);
  if (current !== null && (attempt === undefined || attempt === node.attempt)) {
    found = { attempt: node.attempt, run: current };
  } else {
    const history = await context.store.getHistory(id, attempt === undefined ? {} : { attempt });
    for (const entry of [...history].reverse()) {
      const run = runOf(entry.state);
      if (run !== null) {
        found = { attempt: entry.attempt, run };
        break;
      }
    }
  }
  if (found === null) {
    throw new ServerError(
      'no-run',
      `node "${id}" has no job${attempt === undefined ? '' : ` in attempt ${attempt}`} (state ${node.state.kind})`,
      { details: { id, state: node.state.kind } },
    );
  }
  const backendName = node.spec.make.backend;
  const backend = context.backends.get(backendName);
  if (backend === undefined) {
    throw new ServerError(
      'backend-unavailable',
      `this server has no "${backendName}" backend to reach node "${id}"'s job`,
      { details: { id, backend: backendName } },
    );
  }
  return { node, attempt: found.attempt, run: found.run, backendName, backend };
}

function runOf(state: NodeState): RunState | null {
  switch (state.kind) {
    case 'running':
    case 'ran-successfully':
      return state.run;
    case 'failed-running':
      return state.run ?? null;
    case 'killing':
      return state.run;
    default:
      return null;
  }
}
