import type { NodeCommand } from './commands.js';
import type { EngineNode } from './engine-node.js';

/** The `timeout` wake-up of a node running since `since`, if its spec has a `timeout`. */
export function timeoutWakeUp(node: EngineNode, since: number): NodeCommand[] {
  const seconds = node.spec.timeout;
  if (seconds === null) return [];
  return [
    { kind: 'wake-up', at: since + seconds * 1000, reason: 'timeout', attempt: node.attempt },
  ];
}
