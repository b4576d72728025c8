import {
  simpleStatusOf,
  type EngineNode,
  type NodeFilter,
  type SimpleStatus,
  type Store,
} from '@ketrew/engine';
import { compileFilter } from '../filter/filter-compile.js';
import type { FilterExpression } from '../filter/filter-expression.js';
import { matchesFilter } from '../filter/filter-match.js';
import { decodeNodeCursor, encodeNodeCursor, invalidCursor } from './node-cursor.js';

const SCAN_PAGE = 1000;

export interface NodeListPage {
  readonly nodes: readonly EngineNode[];
  readonly next: string | null;
  readonly total: number;
}

/**
 * Run a filter expression against the store, a page at a time. An expression that compiles
 * exactly to a `NodeFilter` is paged and counted by the store; otherwise the store's superset is
 * scanned in its order (creation time, then id) and checked node by node, which costs a pass
 * over that superset per page (see docs/api.md).
 */
export async function selectNodes(
  store: Store,
  expression: FilterExpression,
  page: { readonly limit: number; readonly after?: string | undefined },
): Promise<NodeListPage> {
  const { filter, exact } = compileFilter(expression);
  const cursor = page.after === undefined ? undefined : decodeNodeCursor(page.after);
  if (exact) {
    if (cursor?.kind === 'position') throw invalidCursor(page.after ?? '');
    let result;
    try {
      result = await store.queryNodes(filter, { limit: page.limit, after: cursor?.after });
    } catch (error) {
      if (error instanceof RangeError) throw invalidCursor(page.after ?? '');
      throw error;
    }
    return {
      nodes: result.nodes,
      next: result.next === null ? null : encodeNodeCursor({ kind: 'store', after: result.next }),
      total: result.total,
    };
  }
  if (cursor?.kind === 'store') throw invalidCursor(page.after ?? '');
  const nodes: EngineNode[] = [];
  let total = 0;
  let hasMore = false;
  for await (const node of scan(store, filter)) {
    if (!matchesFilter(node, expression)) continue;
    total += 1;
    if (cursor !== undefined && !isAfter(node, cursor)) continue;
    if (nodes.length < page.limit) nodes.push(node);
    else hasMore = true;
  }
  const last = nodes.at(-1);
  return {
    nodes,
    next:
      hasMore && last !== undefined
        ? encodeNodeCursor({ kind: 'position', createdAt: last.createdAt, id: last.id })
        : null,
    total,
  };
}

/** How many selected nodes have each simple status. */
export async function countSelectedNodes(
  store: Store,
  expression: FilterExpression,
): Promise<Readonly<Record<SimpleStatus, number>>> {
  const { filter, exact } = compileFilter(expression);
  if (exact) return store.countByStatus(filter);
  const counts: Record<SimpleStatus, number> = {
    activable: 0,
    'in-progress': 0,
    successful: 0,
    failed: 0,
  };
  for await (const node of scan(store, filter)) {
    if (matchesFilter(node, expression)) counts[simpleStatusOf(node.state)] += 1;
  }
  return counts;
}

async function* scan(store: Store, filter: NodeFilter): AsyncGenerator<EngineNode> {
  let after: string | undefined;
  for (;;) {
    const result = await store.queryNodes(filter, { limit: SCAN_PAGE, after });
    yield* result.nodes;
    if (result.next === null) return;
    after = result.next;
  }
}

function isAfter(node: EngineNode, cursor: { createdAt: number; id: string }): boolean {
  if (node.createdAt !== cursor.createdAt) return node.createdAt > cursor.createdAt;
  return node.id > cursor.id;
}
