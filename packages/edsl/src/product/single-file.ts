import { Condition } from '../condition/condition.js';
import { Volume } from '../condition/volume.js';
import type { Host } from '../host/host.js';
import { trustedIf } from '../util/trusted.js';
import type { ProductSpec } from '../wire/product-schema.js';
import type { Product } from './product.js';

/** One file on a host: done when it exists. */
export interface SingleFile extends Product {
  readonly kind: 'single-file';
  /** The absolute path (repeated and trailing slashes removed). */
  readonly path: string;
  readonly host: Host;
  /** The volume holding just this file. */
  readonly volume: Volume;
  /** True when the file exists. */
  readonly exists: Condition;
  /** True when the file holds at least `bytes` bytes (the original's `is_bigger_than`). */
  readonly isBiggerThan: (bytes: number) => Condition;
  /** Same as `exists`. */
  readonly isDone: Condition;
  readonly toSpec: () => ProductSpec;
}

/** Where a product's files live. Default: `Host.tmpOnLocalhost`, as in the original. */
export interface FileProductOptions {
  readonly host?: Host | undefined;
}

/**
 * The product of a node that makes one file. `path` must be absolute; `options.host` defaults to
 * `Host.tmpOnLocalhost`. Throws `invalid-argument` for a relative path or a directory path.
 *
 * @example
 * const sorted = workflowNode(singleFile('/data/x.sorted.bam', { host }), { make: ... });
 * sorted.product.path; // '/data/x.sorted.bam'
 */
export function singleFile(path: string, options: FileProductOptions = {}): SingleFile {
  const volume = Volume.ofFile(path, options);
  const [normalized] = Volume.allPaths(volume) as [string];
  const exists = Condition.volumeExists(volume);
  const spec: ProductSpec = trustedIf([volume.host], {
    kind: 'single-file',
    host: volume.host,
    path: normalized,
  });
  return Object.freeze<SingleFile>({
    kind: 'single-file',
    path: normalized,
    host: volume.host,
    volume,
    exists,
    isBiggerThan: (bytes: number) => Condition.volumeSizeAtLeast(volume, bytes),
    isDone: exists,
    toSpec: () => spec,
  });
}
