import { matchesNodeFilter, type EngineNode } from '@ketrew/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeCountsResponseSchema, NodeListResponseSchema } from '../src/api/response-schemas.js';
import { matchesFilter } from '../src/filter/filter-match.js';
import { toFilterExpression } from '../src/filter/filter-meaning.js';
import { parseFilter } from '../src/filter/filter-parser.js';
import { storeWith, T0, variedNodes } from './support/node-fixtures.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const nodes = variedNodes();
const NOW = T0 + 10 * 86_400_000;
let server: TestServer;

beforeAll(async () => {
  // API-only: the store is filled directly, nothing runs, results are deterministic.
  server = await startTestServer({
    engine: false,
    store: await storeWith(nodes),
    now: () => NOW,
  });
});

afterAll(async () => {
  await server.close();
});

/** Every node of a listing, following `next` page by page. */
async function allPages(
  query: string,
  limit: number,
): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard += 1) {
    const separator = query === '' ? '' : '&';
    const cursor = after === null ? '' : `&after=${encodeURIComponent(after)}`;
    const response = await server.api(`/api/v1/nodes?limit=${limit}${separator}${query}${cursor}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const page = NodeListResponseSchema.parse(response.body);
    expect(page.nodes.length).toBeLessThanOrEqual(limit);
    ids.push(...page.nodes.map((n) => n.id));
    totals.push(page.total);
    after = page.next;
    if (after === null) return { ids, totals };
  }
  throw new Error('too many pages');
}

function inStoreOrder(selected: readonly EngineNode[]): string[] {
  return [...selected]
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => n.id);
}

function expectedByFilter(text: string): string[] {
  const expression = toFilterExpression(parseFilter(text), NOW);
  return inStoreOrder(nodes.filter((n) => matchesFilter(n, expression)));
}

describe('GET /api/v1/nodes', () => {
  it('lists every node in creation order, a page at a time, each exactly once', async () => {
    const { ids, totals } = await allPages('', 7);
    expect(ids).toEqual(inStoreOrder(nodes));
    expect(new Set(totals)).toEqual(new Set([nodes.length]));
  });

  it.each([
    ['status=failed', { status: ['failed'] as const }],
    ['status=failed,successful', { status: ['failed', 'successful'] as const }],
    ['status=failed&status=activable', { status: ['failed', 'activable'] as const }],
    ['state=running', { states: ['running'] as const }],
    ['tag=nightly&tag=big', { tags: ['nightly', 'big'] }],
    ['tag=x%20y', { tags: ['x y'] }],
    ['name=ALIGN', { nameContains: 'align' }],
    ['id=wf-b.n1', { idPrefix: 'wf-b.n1' }],
    ['workflow=wf-a', { workflowId: 'wf-a' }],
    ['activatedByUser=true', { activatedByUser: true }],
    [`createdAfter=${T0 + 2 * 86_400_000}`, { createdAfter: T0 + 2 * 86_400_000 }],
    [
      `createdBefore=${new Date(T0 + 86_400_000).toISOString()}`,
      { createdBefore: T0 + 86_400_000 },
    ],
    [
      `updatedAfter=${T0 + 3_600_000}&updatedBefore=${T0 + 4 * 3_600_000}`,
      { updatedAfter: T0 + 3_600_000, updatedBefore: T0 + 4 * 3_600_000 },
    ],
  ])('filters with %s', async (query, filter) => {
    const { ids, totals } = await allPages(query, 5);
    const expected = inStoreOrder(nodes.filter((n) => matchesNodeFilter(n, filter)));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
    expect(totals[0]).toBe(expected.length);
  });

  it.each([
    '(is-failed)',
    '(and (is-activated-by-user) (tags "nightly"))',
    '(name (re "^[Aa]lign"))',
    '(or (is-running) (tags "big"))',
    '(not (or (is-successful) (is-activable)))',
    '(is-dependency-dead)',
    '(and (id "wf-a") (not (name (re "s$"))))',
    '(and (created-in-the-past (days 8)) (status "killed" "passive"))',
  ])('filters with the expression %s (exact or post-filtered), paged', async (text) => {
    const expected = expectedByFilter(text);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(nodes.length);
    for (const limit of [1, 3, 100]) {
      const { ids, totals } = await allPages(`filter=${encodeURIComponent(text)}`, limit);
      expect(ids).toEqual(expected);
      expect(new Set(totals)).toEqual(new Set([expected.length]));
    }
  });

  it('ANDs query parameters with the expression', async () => {
    const { ids } = await allPages(
      `workflow=wf-b&filter=${encodeURIComponent('(name (re "^align"))')}`,
      4,
    );
    expect(ids).toEqual(
      inStoreOrder(nodes.filter((n) => n.workflowId === 'wf-b' && n.spec.name.startsWith('align'))),
    );
  });

  it('answers 400 invalid-filter with the position of a syntax error', async () => {
    const response = await server.api(
      `/api/v1/nodes?filter=${encodeURIComponent('(and (is-failed)')}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'invalid-filter',
      details: { field: 'filter', position: 16 },
    });
    expect(response.body.error.message).toContain('at position 16');
  });

  it.each([
    ['status=broken', 'status'],
    ['state=flying', 'state'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['createdAfter=yesterday', 'createdAfter'],
    ['colour=red', 'colour'],
    ['after=garbage', 'after'],
  ])('answers 400 invalid-request for %s', async (query, field) => {
    const response = await server.api(`/api/v1/nodes?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid-request');
    expect(JSON.stringify(response.body.error)).toContain(field);
  });

  it('refuses a store cursor on a post-filtered query', async () => {
    const first = await server.api('/api/v1/nodes?limit=2');
    const response = await server.api(
      `/api/v1/nodes?limit=2&after=${first.body.next}&filter=${encodeURIComponent('(name (re "a"))')}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual({ field: 'after' });
  });
});

describe('GET /api/v1/counts', () => {
  it.each(['', 'tag=big', `filter=${encodeURIComponent('(name (re "^[a-z]"))')}`])(
    'counts the selected nodes by simple status (%s)',
    async (query) => {
      const { ids } = await allPages(query, 1000);
      const response = await server.api(`/api/v1/counts?${query}`);
      const { counts, total } = NodeCountsResponseSchema.parse(response.body);
      expect(total).toBe(ids.length);
      const listed = await server.api(`/api/v1/nodes?limit=1000&${query}`);
      for (const status of ['activable', 'in-progress', 'successful', 'failed'] as const) {
        expect(counts[status]).toBe(
          listed.body.nodes.filter((n: { simpleStatus: string }) => n.simpleStatus === status)
            .length,
        );
      }
    },
  );
});

describe('GET /api/v1/nodes/:id', () => {
  it('answers 404 not-found for an unknown id', async () => {
    const response = await server.api('/api/v1/nodes/nope');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'not-found', message: 'no node with id "nope"', details: { id: 'nope' } },
    });
  });

  it('answers backend-unavailable for a job of a backend this server lacks', async () => {
    const running = nodes.find((n) => n.state.kind === 'running') as EngineNode;
    const response = await server.api(`/api/v1/nodes/${running.id}/logs`);
    expect(response.status).toBe(503);
    expect(response.body.error).toMatchObject({
      code: 'backend-unavailable',
      details: { backend: 'no-operation' },
    });
  });
});

describe('API-only mode', () => {
  it('queues kill and restart in the store for the engine leader', async () => {
    const kill = await server.api('/api/v1/nodes/kill', {
      body: { ids: ['wf-a.n00', 'wf-a.n00'], recursive: true },
      token: server.tokens.operator,
    });
    expect(kill.status).toBe(202);
    expect(kill.body).toMatchObject({
      ids: ['wf-a.n00'],
      via: 'queue',
      commandId: expect.any(Number),
    });
    const restart = await server.api('/api/v1/nodes/restart', { body: { ids: ['wf-b.n01'] } });
    expect(restart.status).toBe(202);
    const queued = await server.store.takeCommands(10);
    expect(queued.map((q) => q.command)).toEqual([
      { kind: 'kill', ids: ['wf-a.n00'], recursive: true },
      { kind: 'restart', ids: ['wf-b.n01'], subtree: false },
    ]);
    expect(queued.map((q) => q.id)).toEqual([kill.body.commandId, restart.body.commandId]);
  });

  it('refuses submissions with 503 engine-unavailable, storing nothing', async () => {
    const before = (await server.api('/api/v1/counts')).body.total;
    const response = await server.api('/api/v1/workflows', {
      body: { version: 1, root: 'x', nodes: [{ id: 'x', name: 'x', active: true }] },
    });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('engine-unavailable');
    expect((await server.api('/api/v1/counts')).body.total).toBe(before);
  });

  it('says so in the status', async () => {
    const response = await server.api('/api/v1/status');
    expect(response.body).toMatchObject({ mode: 'api-only', engine: null, total: nodes.length });
  });
});
