import type { Change, EngineNode, ExportRecord, HistoryEntry, Store } from '@ketrew/engine';
import { StoreError } from '@ketrew/engine';
import { expect } from 'vitest';
import type { WorkflowFixture } from './store-fixtures.js';

/** Insert a fixture built by `buildWorkflow` or `pipelineWorkflow`. */
export async function insertFixture(store: Store, fixture: WorkflowFixture): Promise<void> {
  await store.insertWorkflow(fixture.workflow, fixture.nodes, fixture.history);
}

/** Apply moves made by `moveTo` as one batch. */
export async function applyMoves(
  store: Store,
  moves: readonly { readonly node: EngineNode; readonly entry: HistoryEntry }[],
): Promise<void> {
  await store.applyTransitions({
    nodes: moves.map((move) => move.node),
    history: moves.map((move) => move.entry),
  });
}

export function idsOf(nodes: readonly { readonly id: string }[]): string[] {
  return nodes.map((node) => node.id);
}

export function sortedIds(nodes: readonly { readonly id: string }[]): string[] {
  return idsOf(nodes).sort();
}

/** The whole change feed, read in pages of 1000. */
export async function allChanges(store: Store): Promise<Change[]> {
  const changes: Change[] = [];
  let since = 0;
  for (;;) {
    const page = await store.changesSince(since, 1000);
    changes.push(...page);
    const last = page[page.length - 1];
    if (last === undefined) return changes;
    since = last.cursor;
  }
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export async function* asyncIterable<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Every node of a store, in `queryNodes` order. */
export async function allNodes(store: Store): Promise<EngineNode[]> {
  const nodes: EngineNode[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.queryNodes({}, { limit: 1000, after });
    nodes.push(...page.nodes);
    if (page.next === null) return nodes;
    after = page.next;
  }
}

/** Everything a store holds, in a form to compare two stores with `toEqual`. */
export async function contentsOf(store: Store): Promise<{
  workflows: ExportRecord[];
  nodes: EngineNode[];
  history: Record<string, HistoryEntry[]>;
}> {
  const records = await collect(store.exportAll());
  const nodes = await allNodes(store);
  const history: Record<string, HistoryEntry[]> = {};
  for (const node of nodes) history[node.id] = [...(await store.getHistory(node.id))];
  const workflows = records
    .filter((record) => record.type === 'workflow')
    .sort((a, b) => (workflowIdOf(a) < workflowIdOf(b) ? -1 : 1));
  return { workflows, nodes, history };
}

function workflowIdOf(record: ExportRecord): string {
  return record.type === 'workflow' ? record.workflow.id : '';
}

/** Expect a promise to reject with a `StoreError`. */
export async function expectStoreError(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(StoreError);
}

/** Try to change a returned value in place; a frozen value may throw, which is fine too. */
export function tryToMutate(mutate: () => void): void {
  try {
    mutate();
  } catch {
    // Frozen objects refuse writes: the store is unchanged either way.
  }
}
