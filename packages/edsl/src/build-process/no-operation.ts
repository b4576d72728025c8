import type { NoOperationSpec } from '../wire/build-process-schema.js';

/** The build process of a node with nothing to run (the default `make`). */
export function noOperation(): NoOperationSpec {
  return { backend: 'no-operation' };
}
