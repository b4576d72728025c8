import { trusted } from '../util/trusted.js';
import type { ProductSpec } from '../wire/product-schema.js';
import type { Product } from './product.js';

/** A node that makes nothing checkable, like a phony make target: it always runs. */
export interface WithoutProduct extends Product {
  readonly kind: 'without-product';
  readonly isDone: undefined;
  readonly toSpec: () => ProductSpec;
}

const NONE: ProductSpec = trusted({ kind: 'none' });

const WITHOUT_PRODUCT: WithoutProduct = Object.freeze<WithoutProduct>({
  kind: 'without-product',
  isDone: undefined,
  toSpec: () => NONE,
});

/**
 * The product of a node that makes nothing checkable (the original's `without_product`): with
 * the default `ensures: 'product-is-done'` the node has no condition and always runs.
 *
 * @example workflowNode(withoutProduct(), { name: 'all', edges: [dependsOn(a), dependsOn(b)] })
 */
export function withoutProduct(): WithoutProduct {
  return WITHOUT_PRODUCT;
}
