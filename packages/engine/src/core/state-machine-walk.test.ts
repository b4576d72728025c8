import { describe, expect, it } from 'vitest';
import type { NodeSpec } from '@ketrew/edsl';
import { transition } from './transition.js';
import { createEngineNode } from './create-engine-node.js';
import { canonicalJson } from './canonical-json.js';
import { DEFAULT_CORE_CONFIG, type CoreConfig } from './core-config.js';
import { jobNameOf } from './job-name.js';
import type { EngineNode } from './engine-node.js';
import type { NodeEventKind } from './events.js';
import type { NodeStateKind } from './node-state.js';
import { eventCatalogue } from './test-support/event-catalogue.js';
import { CONDITION, DAEMONIZE, T0, spec } from './test-support/node-fixtures.js';

/*
 * One exhaustive walk of the state machine: breadth-first over every (node, event) pair of a
 * catalogue of events, for a few node specs, with all events at one time so the space is finite.
 * Restarts are followed up to attempt 3.
 */

const T = T0 + 1_000;
const config: CoreConfig = { ...DEFAULT_CORE_CONFIG, maximumSuccessiveAttempts: 3 };
const MAX_ATTEMPT_BY_RESTART = 3;

// A Record over the union: the compiler fails here if a state kind is added and not listed.
const EVERY_STATE_KIND: Record<NodeStateKind, true> = {
  passive: true,
  active: true,
  'already-done': true,
  building: true,
  starting: true,
  running: true,
  'ran-successfully': true,
  'did-nothing': true,
  'verified-success': true,
  'dependencies-failed': true,
  'failed-to-start': true,
  'failed-running': true,
  'did-not-ensure-condition': true,
  'failed-to-eval-condition': true,
  killing: true,
  killed: true,
  'failed-to-kill': true,
  finished: true,
};

const everyReason = [
  'non-zero-exit',
  'killed',
  'timeout',
  'lost',
  'start-failed',
  'condition-not-ensured',
  'dependency-failed',
  'backend-error',
] as const;

const SPECS: readonly { name: string; spec: NodeSpec; equivalentTo?: string }[] = [
  {
    name: 'full (condition, job, dependency, edges, retry, timeout)',
    spec: spec({
      id: 'n',
      condition: CONDITION,
      make: DAEMONIZE,
      dependsOn: ['d'],
      onSuccessActivate: ['s'],
      onFailureActivate: ['f'],
      timeout: 5,
      retry: { attempts: 2, on: [...everyReason], backoff: { initial: 1, factor: 2, max: 10 } },
    }),
  },
  { name: 'bare job', spec: spec({ id: 'n', make: DAEMONIZE }) },
  { name: 'no-op with condition', spec: spec({ id: 'n', condition: CONDITION, dependsOn: ['d'] }) },
  { name: 'no-op without condition', spec: spec({ id: 'n' }) },
  {
    name: 'merged',
    spec: spec({ id: 'n', condition: CONDITION, make: DAEMONIZE }),
    equivalentTo: 'e',
  },
];

interface Edge {
  readonly to: string;
  readonly event: NodeEventKind;
}

interface Walk {
  readonly nodes: Map<string, EngineNode>;
  readonly edges: Map<string, Edge[]>;
  readonly kindsSeen: Set<NodeStateKind>;
  readonly problems: string[];
}

const PASSIVE = canonicalJson({ state: { kind: 'passive' }, attempt: 1, errors: 0 });

const keyOf = (node: EngineNode): string =>
  canonicalJson({ state: node.state, attempt: node.attempt, errors: node.successiveErrors });

function walk(nodeSpec: NodeSpec, equivalentTo: string | null): Walk {
  const start = createEngineNode(nodeSpec, 'wf', T0, { equivalentTo });
  const nodes = new Map([[keyOf(start), start]]);
  const edges = new Map<string, Edge[]>();
  const kindsSeen = new Set<NodeStateKind>(['passive']);
  const problems: string[] = [];
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as EngineNode;
    const from = keyOf(node);
    const out: Edge[] = [];
    for (const event of eventCatalogue(node, T)) {
      if (event.kind === 'restart' && node.attempt >= MAX_ATTEMPT_BY_RESTART) continue;
      const result = transition(node, event, config);
      const next = result.node;
      const where = `${from} --${event.kind}-->`;
      if (next === node) {
        if (result.history.length > 0) problems.push(`${where} history without a change`);
        continue;
      }
      if (next.updatedAt !== T) problems.push(`${where} updatedAt not the event's time`);
      if (next.successiveErrors >= config.maximumSuccessiveAttempts)
        problems.push(`${where} too many errors`);
      for (const entry of result.history) {
        kindsSeen.add(entry.state.kind);
        if (entry.time !== T || entry.attempt !== next.attempt || entry.nodeId !== 'n') {
          problems.push(`${where} malformed history entry`);
        }
      }
      for (const command of result.commands) {
        if (command.kind === 'wake-up' && command.attempt !== next.attempt)
          problems.push(`${where} wake-up for another attempt`);
        if (command.kind === 'start' && command.jobName !== jobNameOf('n', next.attempt))
          problems.push(`${where} wrong job name`);
      }
      if (node.state.kind === 'finished' && event.kind !== 'restart')
        problems.push(`${where} a finished node changed`);
      kindsSeen.add(next.state.kind);
      const to = keyOf(next);
      out.push({ to, event: event.kind });
      if (!nodes.has(to)) {
        nodes.set(to, next);
        queue.push(next);
      }
    }
    edges.set(from, out);
  }
  return { nodes, edges, kindsSeen, problems };
}

/** Keys from which a finished node is reachable without the `excluded` events. */
function canFinish({ nodes, edges }: Walk, excluded: readonly NodeEventKind[]): Set<string> {
  const reverse = new Map<string, string[]>();
  for (const [from, out] of edges) {
    for (const edge of out) {
      if (excluded.includes(edge.event)) continue;
      reverse.set(edge.to, [...(reverse.get(edge.to) ?? []), from]);
    }
  }
  const good = [...nodes].filter(([, node]) => node.state.kind === 'finished').map(([key]) => key);
  const seen = new Set(good);
  for (let i = 0; i < good.length; i++) {
    for (const from of reverse.get(good[i] as string) ?? []) {
      if (!seen.has(from)) {
        seen.add(from);
        good.push(from);
      }
    }
  }
  return seen;
}

/** Strongly connected components of more than one key, over non-restart edges (Tarjan). */
function cycles({ edges }: Walk): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (key: string): void => {
    index.set(key, counter);
    low.set(key, counter);
    counter++;
    stack.push(key);
    onStack.add(key);
    for (const edge of edges.get(key) ?? []) {
      if (edge.event === 'restart' || edge.to === key) continue;
      if (!index.has(edge.to)) {
        visit(edge.to);
        low.set(key, Math.min(low.get(key) as number, low.get(edge.to) as number));
      } else if (onStack.has(edge.to)) {
        low.set(key, Math.min(low.get(key) as number, index.get(edge.to) as number));
      }
    }
    if (low.get(key) === index.get(key)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== key);
      if (component.length > 1) found.push(component);
    }
  };
  for (const key of edges.keys()) if (!index.has(key)) visit(key);
  return found;
}

describe('exhaustive walk of the state machine', () => {
  const walks = SPECS.map(({ name, spec: nodeSpec, equivalentTo }) => ({
    name,
    walk: walk(nodeSpec, equivalentTo ?? null),
  }));

  it.each(walks)('$name: every step is well formed', ({ walk: w }) => {
    expect(w.problems).toEqual([]);
    expect(w.nodes.size).toBeGreaterThan(5);
  });

  it('every state kind is reachable (as a stored state or a state passed through)', () => {
    const seen = new Set(walks.flatMap(({ walk: w }) => [...w.kindsSeen]));
    expect([...seen].sort()).toEqual(Object.keys(EVERY_STATE_KIND).sort());
  });

  it.each(walks)(
    '$name: from every reachable state, finished is reachable without a restart',
    ({ walk: w }) => {
      const finishing = canFinish(w, ['restart']);
      const stuck = [...w.nodes.keys()].filter((key) => !finishing.has(key));
      expect(stuck).toEqual([]);
    },
  );

  it.each(walks)(
    '$name: ...and without any user action (kill, restart, orphan clean-up)',
    ({ walk: w }) => {
      const finishing = canFinish(w, ['restart', 'kill', 'orphaned']);
      const stuck = [...w.nodes.keys()].filter((key) => !finishing.has(key) && key !== PASSIVE);
      expect(stuck).toEqual([]);
    },
  );

  it.each(walks)('$name: no event sequence loops, except polls of a running job', ({ walk: w }) => {
    for (const component of cycles(w)) {
      const kinds = new Set(component.map((key) => w.nodes.get(key)?.state.kind));
      expect([...kinds]).toEqual(['running']);
    }
  });

  it.each(walks)(
    '$name: a running job always has a way out (timeout, kill, end of job)',
    ({ walk: w }) => {
      for (const [key, node] of w.nodes) {
        if (node.state.kind !== 'running') continue;
        const leaving = (w.edges.get(key) ?? []).filter(
          (edge) => w.nodes.get(edge.to)?.state.kind !== 'running',
        );
        expect(leaving.map((edge) => edge.event)).toContain('kill');
        expect(leaving.map((edge) => edge.event)).toContain('polled');
      }
    },
  );
});
