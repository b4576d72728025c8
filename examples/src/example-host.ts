import { Host } from '@ketrew/edsl';

/** Where the examples run: this machine, with the playground /tmp/KT (as in the original). */
export const exampleHost = Host.parse('/tmp/KT');
