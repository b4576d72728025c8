import { trusted } from '../util/trusted.js';
import type { NoOperationSpec } from '../wire/build-process-schema.js';

/** The build process of a node with nothing to run (the default `make`). */
const NO_OPERATION: NoOperationSpec = trusted({ backend: 'no-operation' });

export function noOperation(): NoOperationSpec {
  return NO_OPERATION;
}
