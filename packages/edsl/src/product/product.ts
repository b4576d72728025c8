import type { Condition } from '../condition/condition.js';
import type { ProductSpec } from '../wire/product-schema.js';

/**
 * What a node makes. Any object with `isDone` is a product: the condition that says it is there
 * (`undefined`: nothing to check, the node always runs). Downstream nodes read the product's own
 * fields (`upstream.product.path`), and the compiler checks them.
 *
 * `toSpec` describes the product on the wire (for display); without it the product shows as
 * `{kind: 'custom', type: 'user-defined', data: null}`.
 *
 * @example
 * interface Bam extends Product { readonly file: SingleFile; readonly sorted: boolean }
 * const bam = (path: string, sorted: boolean): Bam => {
 *   const file = singleFile(path);
 *   return { file, sorted, isDone: file.exists,
 *     toSpec: () => ({ kind: 'custom', type: 'bam', data: { path, sorted } }) };
 * };
 */
export interface Product {
  readonly isDone: Condition | undefined;
  readonly toSpec?: (() => ProductSpec) | undefined;
}

/** The wire description of a product. */
export function productSpecOf(product: Product): ProductSpec {
  return product.toSpec?.() ?? { kind: 'custom', type: 'user-defined', data: null };
}
