import { Condition } from '../condition/condition.js';
import { Host } from '../host/host.js';
import { trustedIf } from '../util/trusted.js';
import type { ProductSpec } from '../wire/product-schema.js';
import type { Product } from './product.js';
import { singleFile } from './single-file.js';
import type { FileProductOptions, SingleFile } from './single-file.js';

/** Several files on one host: done when they all exist. */
export interface ListOfFiles extends Product {
  readonly kind: 'list-of-files';
  readonly paths: readonly string[];
  readonly host: Host;
  /** Each file as a `SingleFile`, in order. */
  readonly files: readonly SingleFile[];
  /** True when every file exists (an empty list is always done). */
  readonly exists: Condition;
  readonly isDone: Condition;
  readonly toSpec: () => ProductSpec;
}

/**
 * The product of a node that makes several files (absolute paths, on `options.host`, default
 * `Host.tmpOnLocalhost`).
 *
 * @example listOfFiles(['/data/r1.fq', '/data/r2.fq'], { host })
 */
export function listOfFiles(
  paths: readonly string[],
  options: FileProductOptions = {},
): ListOfFiles {
  const files = Object.freeze(paths.map((path) => singleFile(path, options)));
  const normalized = Object.freeze(files.map((f) => f.path));
  const exists = Condition.and(...files.map((f) => f.exists));
  const host = options.host ?? Host.tmpOnLocalhost;
  const spec: ProductSpec = trustedIf([host], {
    kind: 'list-of-files',
    host,
    paths: [...normalized],
  });
  return Object.freeze<ListOfFiles>({
    kind: 'list-of-files',
    paths: normalized,
    host,
    files,
    exists,
    isDone: exists,
    toSpec: () => spec,
  });
}
