import { describe, expect, it } from 'vitest';
import { daemonize } from '../build-process/daemonize.js';
import { WorkflowValidationError } from '../errors.js';
import { Host } from '../host/host.js';
import { dependsOn, onFailureActivate, onSuccessActivate } from '../node/workflow-edge.js';
import { workflowNode } from '../node/workflow-node.js';
import { singleFile } from '../product/single-file.js';
import { withoutProduct } from '../product/without-product.js';
import { Program } from '../program/program.js';
import { validateWorkflowSpec } from '../wire/validate-workflow-spec.js';
import { newNodeIdPrefix } from './node-id-prefix.js';
import { toWorkflowSpec } from './to-workflow-spec.js';

const host = Host.parse('/tmp/KT');

function diamond() {
  const shared = workflowNode(singleFile('/tmp/KT/shared'), {
    name: 'shared',
    make: daemonize(Program.sh('touch /tmp/KT/shared'), { host }),
  });
  const left = workflowNode(withoutProduct(), { name: 'left', edges: [dependsOn(shared)] });
  const right = workflowNode(withoutProduct(), { name: 'right', edges: [dependsOn(shared)] });
  const cleanUp = workflowNode(withoutProduct(), { name: 'clean-up' });
  const alert = workflowNode(withoutProduct(), { name: 'alert', tags: ['mail'] });
  const root = workflowNode(withoutProduct(), {
    name: 'root',
    edges: [
      dependsOn(left),
      dependsOn(right),
      onSuccessActivate(cleanUp),
      onFailureActivate(alert),
    ],
  });
  return { root, shared };
}

describe('toWorkflowSpec', () => {
  it('walks all three kinds of edges, includes shared nodes once, and activates the root', () => {
    const spec = toWorkflowSpec(diamond().root, { idPrefix: 't-' });
    expect(spec.root).toBe('t-1');
    expect(spec.nodes.map((n) => [n.id, n.name, n.active])).toEqual([
      ['t-1', 'root', true],
      ['t-2', 'left', false],
      ['t-3', 'shared', false],
      ['t-4', 'right', false],
      ['t-5', 'clean-up', false],
      ['t-6', 'alert', false],
    ]);
    const byName = new Map(spec.nodes.map((n) => [n.name, n]));
    expect(byName.get('root')).toMatchObject({
      dependsOn: ['t-2', 't-4'],
      onSuccessActivate: ['t-5'],
      onFailureActivate: ['t-6'],
    });
    expect(byName.get('left')?.dependsOn).toEqual(['t-3']);
    expect(byName.get('right')?.dependsOn).toEqual(['t-3']);
  });

  it('outputs the canonical, valid wire format', () => {
    const spec = toWorkflowSpec(diamond().root, { idPrefix: 't-' });
    expect(validateWorkflowSpec(spec)).toEqual({ ok: true, spec });
    expect(spec.nodes[2]).toEqual({
      id: 't-3',
      name: 'shared',
      active: false,
      tags: [],
      metadata: null,
      product: { kind: 'single-file', host: Host.tmpOnLocalhost, path: '/tmp/KT/shared' },
      condition: singleFile('/tmp/KT/shared').exists,
      make: daemonize(Program.sh('touch /tmp/KT/shared'), { host }),
      dependsOn: [],
      onSuccessActivate: [],
      onFailureActivate: [],
      equivalence: 'same-active-condition',
      retry: null,
      timeout: null,
      resources: { cpus: 1, memory: null },
    });
  });

  it('names unnamed nodes after their id and adds tags to every node', () => {
    const leaf = workflowNode(withoutProduct(), { tags: ['x'] });
    const root = workflowNode(withoutProduct(), { tags: ['x', 'y'], edges: [dependsOn(leaf)] });
    const spec = toWorkflowSpec(root, { idPrefix: 'p.', addTags: ['y', 'nightly'] });
    expect(spec.nodes.map((n) => [n.name, n.tags])).toEqual([
      ['p.1', ['x', 'y', 'nightly']],
      ['p.2', ['x', 'y', 'nightly']],
    ]);
  });

  it('gives fresh ids at every call by default', () => {
    const { root } = diamond();
    const first = toWorkflowSpec(root).nodes.map((n) => n.id);
    const second = toWorkflowSpec(root).nodes.map((n) => n.id);
    expect(new Set([...first, ...second]).size).toBe(12);
    expect(first[0]).toMatch(/^[0-9a-z]{12}-1$/);
  });

  it('makes random prefixes', () => {
    const prefixes = new Set(Array.from({ length: 1000 }, () => newNodeIdPrefix()));
    expect(prefixes.size).toBe(1000);
    for (const prefix of prefixes) expect(prefix).toMatch(/^[0-9abcdefghjkmnpqrstvwxyz]{12}-$/);
  });

  it('flattens a chain of 20,000 nodes without recursion', () => {
    let node = workflowNode(withoutProduct());
    for (let i = 1; i < 20_000; i++)
      node = workflowNode(withoutProduct(), { edges: [dependsOn(node)] });
    const spec = toWorkflowSpec(node, { idPrefix: 'c' });
    expect(spec.nodes).toHaveLength(20_000);
    expect(spec.nodes.at(-2)?.dependsOn).toEqual(['c20000']);
  });

  it('names the node and the field of what breaks the wire format', () => {
    const bad = workflowNode(withoutProduct(), {
      name: 'bad plugin',
      make: { backend: 'daemonize', host: 'nope' } as never,
    });
    const root = workflowNode(withoutProduct(), { name: 'root', edges: [dependsOn(bad)] });
    const attempt = () => toWorkflowSpec(root, { idPrefix: 'x' });
    expect(attempt).toThrow(WorkflowValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as WorkflowValidationError).errors).toEqual([
        {
          pointer: '/nodes/1/make/program',
          message: 'node "bad plugin": missing (expected object)',
        },
        {
          pointer: '/nodes/1/make/host',
          message: 'node "bad plugin": Invalid input: expected object, received string',
        },
      ]);
      expect((error as Error).message).toContain('/nodes/1/make/host: node "bad plugin"');
    }
  });

  it('checks and completes the parts the EDSL did not build', () => {
    const handWritten = workflowNode(withoutProduct(), {
      name: 'hand-written',
      make: { backend: 'daemonize', host, program: { kind: 'sh', command: 'true' } } as never,
    });
    const [node] = toWorkflowSpec(handWritten, { idPrefix: 'h' }).nodes;
    expect(node?.make).toMatchObject({ using: 'nohup-setsid', startingTimeout: 5 });

    const badCondition = workflowNode(withoutProduct(), {
      name: 'bad condition',
      ensures: {
        kind: 'volume-exists',
        volume: { host, root: 'relative', structure: { kind: 'file', name: 'x' } },
      },
    });
    expect(() => toWorkflowSpec(badCondition, { idPrefix: 'h' })).toThrow(
      '/nodes/0/condition/volume/root: node "bad condition": must be an absolute path',
    );

    const badProduct = workflowNode(
      { isDone: undefined, toSpec: () => ({ kind: 'single-file', host, path: 'x' }) as const },
      { name: 'bad product' },
    );
    expect(() => toWorkflowSpec(badProduct, { idPrefix: 'h' })).toThrow(
      '/nodes/0/product/path: node "bad product": must be an absolute path',
    );
  });

  it('freezes what it trusts, so it cannot become invalid', () => {
    const file = singleFile('/tmp/KT/x', { host });
    expect(() => {
      (file.volume as { root: string }).root = 'relative';
    }).toThrow(TypeError);
    const make = daemonize(Program.sh('x'), { host });
    expect(() => {
      (make.host as { playground: string }).playground = 'relative';
    }).toThrow(TypeError);
  });

  it('rejects bad tags to add', () => {
    expect(() => toWorkflowSpec(diamond().root, { addTags: [''] })).toThrow(
      /addTags must be non-empty strings/,
    );
  });

  it('rejects a bad id prefix', () => {
    expect(() => toWorkflowSpec(diamond().root, { idPrefix: 'a b' })).toThrow(/bad idPrefix "a b"/);
  });
});
