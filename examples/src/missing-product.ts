/**
 * A node whose product never appears: its command succeeds but does not write the file, so the
 * node fails (its condition is not ensured), and the node depending on it fails because of a
 * dependency.
 */
import {
  Program,
  daemonize,
  dependsOn,
  singleFile,
  withoutProduct,
  workflowNode,
} from '@ketrew/edsl';
import { exampleHost } from './example-host.js';

export const forgetful = workflowNode(singleFile('/tmp/KT/missing-product/never-written'), {
  name: 'says it writes a file, but does not',
  make: daemonize(Program.sh('echo "I should write /tmp/KT/missing-product/never-written"'), {
    host: exampleHost,
  }),
});

export default workflowNode(withoutProduct(), {
  name: 'depends on the missing file',
  make: daemonize(Program.shf('cat %S', forgetful.product.path), { host: exampleHost }),
  edges: [dependsOn(forgetful)],
});
