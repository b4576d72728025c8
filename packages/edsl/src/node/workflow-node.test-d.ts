import { describe, expectTypeOf, it } from 'vitest';
import { daemonize } from '../build-process/daemonize.js';
import { Program } from '../program/program.js';
import { singleFile } from '../product/single-file.js';
import { withoutProduct } from '../product/without-product.js';
import { dependsOn } from './workflow-edge.js';
import type { WorkflowEdge } from './workflow-edge.js';
import { workflowNode } from './workflow-node.js';

describe('workflow node types', () => {
  it('downstream nodes read typed upstream products', () => {
    const raw = workflowNode(singleFile('/data/x.bam'));
    const sorted = workflowNode(singleFile('/data/x.sorted.bam'), {
      make: daemonize(
        Program.shf('samtools sort -o %S %S', '/data/x.sorted.bam', raw.product.path),
      ),
      edges: [dependsOn(raw)],
    });
    expectTypeOf(sorted.product.path).toEqualTypeOf<string>();
    expectTypeOf(dependsOn(raw)).toEqualTypeOf<WorkflowEdge>();
  });

  it('options are checked', () => {
    // @ts-expect-error: not an equivalence
    workflowNode(withoutProduct(), { equivalence: 'same' });
    // @ts-expect-error: not an ensures
    workflowNode(withoutProduct(), { ensures: 'done' });
    // @ts-expect-error: retry needs attempts
    workflowNode(withoutProduct(), { retry: { on: ['lost'] } });
    // @ts-expect-error: not a failure reason
    workflowNode(withoutProduct(), { retry: { attempts: 2, on: ['bad-luck'] } });
    // @ts-expect-error: edges are made with dependsOn & co.
    workflowNode(withoutProduct(), { edges: [workflowNode(withoutProduct())] });
    // @ts-expect-error: metadata is JSON
    workflowNode(withoutProduct(), { metadata: new Map() });
    workflowNode(withoutProduct(), { metadata: 'a string is JSON too' });
  });
});
