import { describe, expect, it } from 'vitest';
import { Condition } from '../condition/condition.js';
import { Volume } from '../condition/volume.js';
import { Host } from '../host/host.js';
import { ProductSchema } from '../wire/product-schema.js';
import { listOfFiles } from './list-of-files.js';
import { productSpecOf } from './product.js';
import { singleFile } from './single-file.js';
import { withoutProduct } from './without-product.js';

const host = Host.parse('ssh://cluster/home/me/kt');

describe('withoutProduct', () => {
  it('has nothing to check', () => {
    expect(withoutProduct().isDone).toBeUndefined();
    expect(productSpecOf(withoutProduct())).toEqual({ kind: 'none' });
  });
});

describe('singleFile', () => {
  it('is done when the file exists, on /tmp of localhost by default', () => {
    const file = singleFile('/data//x.bam');
    expect(file.path).toBe('/data/x.bam');
    expect(file.host).toEqual(Host.tmpOnLocalhost);
    expect(file.exists).toEqual(Condition.volumeExists(Volume.ofFile('/data/x.bam')));
    expect(file.isDone).toEqual(file.exists);
  });

  it('checks sizes and describes itself on the wire', () => {
    const file = singleFile('/data/x.bam', { host });
    expect(file.isBiggerThan(1000)).toEqual(
      Condition.volumeSizeAtLeast(Volume.ofFile('/data/x.bam', { host }), 1000),
    );
    const spec = productSpecOf(file);
    expect(spec).toEqual({ kind: 'single-file', host, path: '/data/x.bam' });
    expect(ProductSchema.parse(spec)).toEqual(spec);
  });

  it('requires an absolute path to a file', () => {
    expect(() => singleFile('x.bam')).toThrow(/"x.bam" is not an absolute path/);
    expect(() => singleFile('/data/')).toThrow(/names a directory/);
  });
});

describe('listOfFiles', () => {
  it('is done when every file exists', () => {
    const files = listOfFiles(['/data/r1.fq', '/data/r2.fq'], { host });
    expect(files.paths).toEqual(['/data/r1.fq', '/data/r2.fq']);
    expect(files.files.map((f) => f.path)).toEqual(files.paths);
    expect(files.isDone).toEqual(
      Condition.and(
        singleFile('/data/r1.fq', { host }).exists,
        singleFile('/data/r2.fq', { host }).exists,
      ),
    );
    expect(productSpecOf(files)).toEqual({
      kind: 'list-of-files',
      host,
      paths: ['/data/r1.fq', '/data/r2.fq'],
    });
  });

  it('rejects relative paths', () => {
    expect(() => listOfFiles(['/a', 'b'])).toThrow(/"b" is not an absolute path/);
  });
});

describe('user-defined products', () => {
  it('show as custom on the wire when they do not describe themselves', () => {
    expect(productSpecOf({ isDone: undefined })).toEqual({
      kind: 'custom',
      type: 'user-defined',
      data: null,
    });
  });
});
