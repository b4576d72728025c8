/**
 * Synthetic nested workflows, for load: a tree of lists where each list is a node depending on
 * its children, and each leaf runs a command.
 */
import { Program, daemonize, dependsOn, withoutProduct, workflowNode } from '@ketrew/edsl';
import type { Host, WorkflowNode } from '@ketrew/edsl';
import { exampleHost } from './example-host.js';

/** A leaf command, or a list of nested lists. */
export type NestedList = string | readonly NestedList[];

/** Each list becomes a node depending on its children; each string a daemonized command. */
export function nestedWorkflow(
  tree: NestedList,
  host: Host = exampleHost,
  path = 'root',
): WorkflowNode {
  if (typeof tree === 'string') {
    return workflowNode(withoutProduct(), {
      name: `${path}: ${tree}`,
      make: daemonize(Program.sh(tree), { host }),
    });
  }
  return workflowNode(withoutProduct(), {
    name: path,
    edges: tree.map((child, i) => dependsOn(nestedWorkflow(child, host, `${path}.${i}`))),
  });
}

/** A full tree: `breadth` children per list, `depth` levels of lists, leaves running `command`. */
export function syntheticTree(depth: number, breadth: number, command = 'true'): NestedList {
  return depth === 0
    ? command
    : Array.from({ length: breadth }, () => syntheticTree(depth - 1, breadth, command));
}

export default nestedWorkflow(syntheticTree(3, 3));
