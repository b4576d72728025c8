import type { HistoryEntry } from '../core/engine-node.js';
import { canonicalJson } from '../core/canonical-json.js';

/** What makes two history entries the same for `importAll`: node, attempt, time and state. */
export function historyKey(entry: HistoryEntry): string {
  return [entry.nodeId, entry.attempt, entry.time, canonicalJson(entry.state)].join('\u0000');
}
