import { seededRandom } from './seeded-random.js';

/** What the mix's requests point at: the workflow under load and what was read of it before. */
export interface MixTargets {
  readonly workflowId: string;
  readonly rootId: string;
  readonly jobIds: readonly string[];
  /** Jobs known to have started (their logs exist): the logs route reads these. */
  readonly startedJobIds: readonly string[];
  /** `next` cursors of the pages of `GET /nodes?workflow=W&limit=100`. */
  readonly cursors: readonly string[];
}

/** One kind of read of the mix, with its share of the requests (`weight` over the sum). */
export interface ReadRoute {
  readonly name: string;
  readonly weight: number;
  readonly path: (targets: MixTargets, pick: <T>(list: readonly T[]) => T) => string;
}

/** One request to send: its route's name and the path (with query) to GET. */
export interface PlannedRead {
  readonly route: string;
  readonly path: string;
}

const API = '/api/v1';
const q = (parameters: Record<string, string | number>): string =>
  new URLSearchParams(
    Object.entries(parameters).map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
const node = (id: string): string => `${API}/nodes/${encodeURIComponent(id)}`;

/** The dashboard's default filter (the original Ketrew's): recent submissions' roots. */
export const DASHBOARD_FILTER = '(and (created-in-the-past (weeks 4)) (is-activated-by-user))';

/**
 * The reads the dashboard and the CLI make (`ketrew status`, `list`, `show`, `logs`), weighted
 * roughly as a dashboard left open on a busy workflow plus a few people at the command line would
 * send them. Every route answers 2xx when the server is well.
 */
export const READ_MIX: readonly ReadRoute[] = [
  { name: 'GET /hello', weight: 1, path: () => '/hello' },
  { name: 'GET /status', weight: 2, path: () => `${API}/status` },
  {
    name: 'GET /counts?workflow',
    weight: 2,
    path: (t) => `${API}/counts?${q({ workflow: t.workflowId })}`,
  },
  {
    name: 'GET /counts?filter (dashboard)',
    weight: 1,
    path: () => `${API}/counts?${q({ filter: DASHBOARD_FILTER })}`,
  },
  {
    name: 'GET /nodes first page',
    weight: 2,
    path: (t) => `${API}/nodes?${q({ workflow: t.workflowId, limit: 100 })}`,
  },
  {
    name: 'GET /nodes later page',
    weight: 2,
    path: (t, pick) =>
      `${API}/nodes?${q({ workflow: t.workflowId, limit: 100, ...(t.cursors.length > 0 ? { after: pick(t.cursors) } : {}) })}`,
  },
  {
    name: 'GET /nodes?status=in-progress',
    weight: 2,
    path: (t) => `${API}/nodes?${q({ workflow: t.workflowId, status: 'in-progress', limit: 50 })}`,
  },
  {
    name: 'GET /nodes?filter (dashboard)',
    weight: 1,
    path: () => `${API}/nodes?${q({ filter: DASHBOARD_FILTER, limit: 100 })}`,
  },
  {
    name: 'GET /nodes?filter (regexp)',
    weight: 1,
    path: (t) =>
      `${API}/nodes?${q({ filter: `(and (workflow "${t.workflowId}") (name (re "^sleep [0-9]\\\\.")))`, limit: 100 })}`,
  },
  {
    name: 'GET /nodes?id= (show prefix)',
    weight: 1,
    path: (t, pick) => `${API}/nodes?${q({ id: pick(t.jobIds).slice(0, -1), limit: 6 })}`,
  },
  { name: 'GET /nodes/:id (job)', weight: 3, path: (t, pick) => node(pick(t.jobIds)) },
  { name: 'GET /nodes/:id (root)', weight: 1, path: (t) => node(t.rootId) },
  {
    name: 'GET /nodes/:id?attempt=1 (history)',
    weight: 1,
    path: (t, pick) => `${node(pick(t.jobIds))}?${q({ attempt: 1 })}`,
  },
  {
    name: 'GET /nodes/:id/logs',
    weight: 2,
    path: (t, pick) => `${node(pick(t.startedJobIds))}/logs?${q({ stream: 'log' })}`,
  },
];

/**
 * The reads to send, in order: decks of the mix's routes (each route `weight` times) shuffled
 * one after another, so every deck holds the mix's exact proportions, in a random order; the
 * targets (ids, cursors) are drawn too. A seed gives the same sequence every run.
 */
export function planReads(
  mix: readonly ReadRoute[],
  targets: MixTargets,
  count: number,
  seed: number,
): PlannedRead[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => {
    if (list.length === 0) throw new Error('planReads: nothing to pick from');
    return list[Math.floor(random() * list.length)] as T;
  };
  const deck = mix.flatMap((route) => Array.from({ length: route.weight }, () => route));
  const reads: PlannedRead[] = [];
  while (reads.length < count) {
    const shuffled = [...deck];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as ReadRoute, shuffled[i] as ReadRoute];
    }
    for (const route of shuffled.slice(0, count - reads.length)) {
      reads.push({ route: route.name, path: route.path(targets, pick) });
    }
  }
  return reads;
}
