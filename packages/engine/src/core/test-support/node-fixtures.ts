import { NodeSpecSchema, type ConditionSpec, type Host, type NodeSpec } from '@ketrew/edsl';
import type { EngineNode } from '../engine-node.js';
import type { NodeState } from '../node-state.js';
import { createEngineNode } from '../create-engine-node.js';

/** Test-only fixtures for the core's tests (never imported by the package's entry point). */

export const T0 = 1_700_000_000_000;

export const HOST: Host = {
  name: '/tmp/KT',
  connection: { kind: 'localhost' },
  playground: '/tmp/KT',
  shell: ['sh', '-c'],
  timeout: null,
};

export const CONDITION: ConditionSpec = {
  kind: 'volume-exists',
  volume: {
    host: HOST,
    root: '/tmp/out',
    structure: { kind: 'file', name: 'result.txt' },
  },
};

export const DAEMONIZE: NodeSpec['make'] = {
  backend: 'daemonize',
  program: { kind: 'sh', command: 'make result.txt' },
  host: HOST,
  using: 'nohup-setsid',
  startingTimeout: 5,
};

/** A validated node spec: `id` plus whatever differs from the defaults. */
export function spec(input: Partial<NodeSpec> & { readonly id: string }): NodeSpec {
  return NodeSpecSchema.parse({ name: input.id, ...input });
}

/** An engine node of `spec` in `state` (created at T0), with optional overrides. */
export function nodeIn(
  nodeSpec: NodeSpec,
  state: NodeState,
  overrides: Partial<EngineNode> = {},
): EngineNode {
  return { ...createEngineNode(nodeSpec, 'wf', T0), state, ...overrides };
}
