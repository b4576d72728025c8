import { describe, expectTypeOf, it } from 'vitest';
import type { Condition } from '../condition/condition.js';
import { workflowNode } from '../node/workflow-node.js';
import type { WorkflowNode } from '../node/workflow-node.js';
import { listOfFiles } from './list-of-files.js';
import type { ListOfFiles } from './list-of-files.js';
import type { Product } from './product.js';
import { singleFile } from './single-file.js';
import type { SingleFile } from './single-file.js';
import { withoutProduct } from './without-product.js';

describe('product types', () => {
  it('single files have a path, a host and conditions', () => {
    const file = singleFile('/data/x.bam');
    expectTypeOf(file.path).toEqualTypeOf<string>();
    expectTypeOf(file.exists).toEqualTypeOf<Condition>();
    expectTypeOf(file.isBiggerThan).toEqualTypeOf<(bytes: number) => Condition>();
    // @ts-expect-error: a single file has no `paths`
    void file.paths;
  });

  it('a product without anything has no path', () => {
    // @ts-expect-error: withoutProduct() has no path
    void withoutProduct().path;
    // @ts-expect-error: withoutProduct() has no exists
    void withoutProduct().exists;
  });

  it('a list of files has paths, not a path', () => {
    const files = listOfFiles(['/a', '/b']);
    expectTypeOf(files.paths).toEqualTypeOf<readonly string[]>();
    // @ts-expect-error: a list of files has no single path
    void files.path;
  });

  it('nodes carry the type of their product', () => {
    const node = workflowNode(singleFile('/data/x.bam'));
    expectTypeOf(node).toEqualTypeOf<WorkflowNode<SingleFile>>();
    expectTypeOf(node.product.path).toEqualTypeOf<string>();
    const list = workflowNode(listOfFiles(['/a']));
    expectTypeOf(list.product).toEqualTypeOf<ListOfFiles>();
    // @ts-expect-error: the upstream node makes several files
    void list.product.path;
    expectTypeOf(node).toExtend<WorkflowNode>();
  });

  it('a user-defined product is any object with isDone, and keeps its own fields', () => {
    interface Bam extends Product {
      readonly file: SingleFile;
      readonly sorted: boolean;
    }
    const file = singleFile('/data/x.bam');
    const bam: Bam = { file, sorted: true, isDone: file.exists };
    const node = workflowNode(bam);
    expectTypeOf(node.product.file.path).toEqualTypeOf<string>();
    expectTypeOf(node.product.sorted).toEqualTypeOf<boolean>();
    // @ts-expect-error: a Bam has no `index`
    void node.product.index;
    // @ts-expect-error: a product needs isDone
    workflowNode({ path: '/x' });
  });
});
