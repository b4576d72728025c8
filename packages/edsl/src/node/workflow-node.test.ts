import { describe, expect, it } from 'vitest';
import { daemonize } from '../build-process/daemonize.js';
import { Condition } from '../condition/condition.js';
import { singleFile } from '../product/single-file.js';
import { withoutProduct } from '../product/without-product.js';
import { Program } from '../program/program.js';
import { dependsOn, onFailureActivate, onSuccessActivate } from './workflow-edge.js';
import { workflowNode } from './workflow-node.js';

describe('workflowNode', () => {
  it('has the defaults of the original', () => {
    const node = workflowNode(withoutProduct());
    expect(node).toMatchObject({
      name: undefined,
      make: { backend: 'no-operation' },
      condition: null,
      edges: [],
      tags: [],
      metadata: null,
      equivalence: 'same-active-condition',
      active: false,
      retry: null,
      timeout: null,
      resources: { cpus: 1, memory: null },
    });
    expect(node.id).toMatch(/^node-\d+$/);
  });

  it('gives every node its own id', () => {
    expect(workflowNode(withoutProduct()).id).not.toBe(workflowNode(withoutProduct()).id);
  });

  it('takes every option', () => {
    const upstream = workflowNode(withoutProduct());
    const make = daemonize(Program.sh('true'));
    const node = workflowNode(withoutProduct(), {
      name: 'n',
      make,
      edges: [dependsOn(upstream), onSuccessActivate(upstream), onFailureActivate(upstream)],
      tags: ['a', 'b'],
      metadata: { owner: 'me', runs: [1, 2] },
      equivalence: 'none',
      active: true,
      retry: { attempts: 3, on: ['lost'], backoff: { initial: 1 } },
      timeout: 60,
      resources: { cpus: 4, memory: 2048 },
    });
    expect(node).toMatchObject({
      name: 'n',
      make,
      tags: ['a', 'b'],
      metadata: { owner: 'me', runs: [1, 2] },
      equivalence: 'none',
      active: true,
      retry: { attempts: 3, on: ['lost'], backoff: { initial: 1, factor: 2, max: 600 } },
      timeout: 60,
      resources: { cpus: 4, memory: 2048 },
    });
    expect(node.edges.map((e) => [e.kind, e.node])).toEqual([
      ['depends-on', upstream],
      ['on-success-activate', upstream],
      ['on-failure-activate', upstream],
    ]);
  });

  it('keeps string metadata as a JSON string', () => {
    expect(workflowNode(withoutProduct(), { metadata: 'free text' }).metadata).toBe('free text');
  });

  it("ensures the product's condition by default, nothing, or a given condition", () => {
    const file = singleFile('/data/x');
    expect(workflowNode(file).condition).toEqual(file.exists);
    expect(workflowNode(file, { ensures: 'nothing' }).condition).toBeNull();
    expect(workflowNode(file, { ensures: file.isBiggerThan(10) }).condition).toEqual(
      file.isBiggerThan(10),
    );
    expect(workflowNode(withoutProduct(), { ensures: Condition.never() }).condition).toEqual({
      kind: 'never',
    });
  });

  it('is immutable', () => {
    const node = workflowNode(withoutProduct(), { tags: ['a'] });
    expect(() => {
      (node.tags as string[]).push('b');
    }).toThrow(TypeError);
    expect(() => {
      (node.edges as unknown[]).push(1);
    }).toThrow(TypeError);
  });

  it.each([
    [{ name: '' }, /workflowNode "": name: Too small/],
    [{ tags: [''] }, /^workflowNode: tags.0: Too small/],
    [{ retry: { attempts: 0 } }, /^workflowNode: retry.attempts: Too small/],
    [{ retry: { attempts: 2, on: ['bad-luck'] } }, /^workflowNode: retry.on.0: Invalid option/],
    [{ timeout: -1 }, /^workflowNode: timeout: Too small/],
    [{ resources: { cpus: 0 } }, /^workflowNode: resources.cpus: Too small/],
    [{ metadata: { when: undefined } }, /^workflowNode: metadata.when: /],
    [{ equivalence: 'same' }, /^workflowNode: equivalence: Invalid option/],
    [{ ensures: 'done' }, /ensures must be 'product-is-done', 'nothing' or a Condition/],
    [{ edges: [{ kind: 'depends-on' }] }, /edges must be made with dependsOn/],
    [{ colour: 'red' }, /^workflowNode: colour: unknown field "colour"/],
  ])('rejects bad options, naming them (%#)', (options, message) => {
    expect(() => workflowNode(withoutProduct(), options as never)).toThrow(message);
  });

  it('rejects a product without isDone', () => {
    expect(() => workflowNode({} as never)).toThrow(/must be an object with an "isDone" field/);
  });
});
