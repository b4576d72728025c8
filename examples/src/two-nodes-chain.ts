/**
 * Two nodes, the second depending on the first: the first writes a file, the second reads it
 * through the first node's typed product (`first.product.path`).
 */
import { Program, daemonize, dependsOn, singleFile, workflowNode } from '@ketrew/edsl';
import { exampleHost } from './example-host.js';

const directory = '/tmp/KT/two-nodes-chain';

export const first = workflowNode(singleFile(`${directory}/first.txt`), {
  name: 'first: write a file',
  make: daemonize(
    Program.and(
      Program.exec(['mkdir', '-p', directory]),
      Program.shf('date > %S', `${directory}/first.txt`),
    ),
    { host: exampleHost },
  ),
});

export default workflowNode(singleFile(`${directory}/second.txt`), {
  name: 'second: count its lines',
  make: daemonize(Program.shf('wc -l < %S > %S', first.product.path, `${directory}/second.txt`), {
    host: exampleHost,
  }),
  edges: [dependsOn(first)],
});
