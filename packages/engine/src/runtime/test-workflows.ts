// Builders of wire-format workflows for the runtime's own tests (not exported by the package).
import type { ConditionSpec, Host, WorkflowSpecInput } from '@ketrew/edsl';

export type NodeInput = WorkflowSpecInput['nodes'][number];

export const LOCALHOST: Host = {
  name: 'localhost',
  connection: { kind: 'localhost' },
  playground: null,
  shell: ['sh', '-c'],
  timeout: null,
};

/** A node run by the fake backend, named after its id. */
export function fakeNode(id: string, options: Partial<NodeInput> = {}): NodeInput {
  return { id, name: id, make: { backend: 'fake' }, ...options };
}

/** A node with no build process. */
export function noopNode(id: string, options: Partial<NodeInput> = {}): NodeInput {
  return { id, name: id, ...options };
}

/** A workflow whose root is `root` (activated at submission). */
export function workflowOf(root: string, nodes: readonly NodeInput[]): WorkflowSpecInput {
  return {
    version: 1,
    root,
    nodes: nodes.map((node) => (node.id === root ? { ...node, active: true } : node)),
  };
}

/** `condition: volume-exists` of one file on localhost. */
export function fileExists(path: string): ConditionSpec {
  const cut = path.lastIndexOf('/');
  return {
    kind: 'volume-exists',
    volume: {
      host: LOCALHOST,
      root: cut === 0 ? '/' : path.slice(0, cut),
      structure: { kind: 'file', name: path.slice(cut + 1) },
    },
  };
}
