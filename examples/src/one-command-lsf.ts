/** The one-command example, as an LSF job (`bsub`) instead of a detached process. */
import { Program, lsf, withoutProduct, workflowNode } from '@ketrew/edsl';
import { exampleHost } from './example-host.js';
import { command } from './one-command.js';

export default workflowNode(withoutProduct(), {
  name: `${command} (LSF)`,
  tags: ['lsf'],
  make: lsf(Program.sh(command), {
    host: exampleHost,
    queue: 'normal',
    wallLimit: '0:10',
    processors: 1,
  }),
});
