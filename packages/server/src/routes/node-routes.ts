import { simpleStatusOf, type EngineNode } from '@ketrew/engine';
import type { Hono } from 'hono';
import { integerParameter, parseQuery } from '../api/parse-input.js';
import { NodeDetailQuerySchema, NodeQuerySchema, PageQuerySchema } from '../api/request-schemas.js';
import { countSelectedNodes, selectNodes } from '../query/node-selection.js';
import { nodeQueryExpression } from '../query/node-query-params.js';
import type { AppEnv, ServerContext } from '../server-context.js';
import { getNodeOr404 } from './node-lookup.js';

const DEFAULT_PAGE = 100;

/** A node as the API shows it: the stored node and its simple status. */
export function nodeView(node: EngineNode): EngineNode & { readonly simpleStatus: string } {
  return { ...node, simpleStatus: simpleStatusOf(node.state) };
}

/** GET /nodes (filtered, paged), GET /counts, GET /nodes/:id (with history and edges). */
export function registerNodeRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  const listQuery = NodeQuerySchema.extend(PageQuerySchema.shape);

  app.get('/api/v1/nodes', async (c) => {
    const query = parseQuery(c, listQuery);
    const expression = nodeQueryExpression(c, query, context.now());
    const limit = integerParameter(query.limit, 'limit', 1, 1000) ?? DEFAULT_PAGE;
    const page = await selectNodes(context.store, expression, { limit, after: query.after });
    return c.json({ nodes: page.nodes.map(nodeView), next: page.next, total: page.total });
  });

  app.get('/api/v1/counts', async (c) => {
    const query = parseQuery(c, NodeQuerySchema);
    const counts = await countSelectedNodes(
      context.store,
      nodeQueryExpression(c, query, context.now()),
    );
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return c.json({ counts, total });
  });

  app.get('/api/v1/nodes/:id', async (c) => {
    const query = parseQuery(c, NodeDetailQuerySchema);
    const attempt = integerParameter(query.attempt, 'attempt', 1, Number.MAX_SAFE_INTEGER);
    const id = c.req.param('id');
    const node = await getNodeOr404(context.store, id);
    const [history, reverse] = await Promise.all([
      context.store.getHistory(id, attempt === undefined ? {} : { attempt }),
      context.store.getReverseEdges(id),
    ]);
    return c.json({
      node: nodeView(node),
      history,
      edges: {
        dependsOn: node.spec.dependsOn,
        onSuccessActivate: node.spec.onSuccessActivate,
        onFailureActivate: node.spec.onFailureActivate,
        dependedOnBy: reverse.dependedOnBy,
        activatedOnSuccessOf: reverse.activatedOnSuccessOf,
        activatedOnFailureOf: reverse.activatedOnFailureOf,
      },
    });
  });
}
