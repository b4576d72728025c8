import { NodeSpecSchema } from '@ketrew/edsl';
import type { NodeState, SimpleStatus } from '@ketrew/engine';
import type { ApiNode } from '../src/client/api-types.js';

/** A node as the API returns it, with a daemonize build process. */
export function apiNode(
  id: string,
  overrides: {
    readonly name?: string;
    readonly state?: NodeState;
    readonly simpleStatus?: SimpleStatus;
    readonly tags?: string[];
    readonly updatedAt?: number;
  } = {},
): ApiNode {
  const host = {
    name: '/tmp/KT',
    connection: { kind: 'localhost' as const },
    playground: '/tmp/KT',
  };
  return {
    id,
    workflowId: 'wf-1',
    spec: NodeSpecSchema.parse({
      id,
      name: overrides.name ?? `node ${id}`,
      tags: overrides.tags ?? [],
      make: { backend: 'daemonize', host, program: { kind: 'sh', command: 'du -sh $HOME' } },
    }),
    state: overrides.state ?? { kind: 'running', jobName: `ketrew-${id}-a1`, run: {}, since: 0 },
    attempt: 1,
    successiveErrors: 0,
    equivalentTo: null,
    createdAt: Date.parse('2026-01-01T11:00:00Z'),
    updatedAt: overrides.updatedAt ?? Date.parse('2026-01-01T11:59:00Z'),
    simpleStatus: overrides.simpleStatus ?? 'in-progress',
  };
}
