/**
 * One node running a command detached on localhost, like
 * `ketrew submit --daemonize /tmp/KT,"du -sh $HOME"` in the original's getting-started guide.
 */
import { Program, daemonize, withoutProduct, workflowNode } from '@ketrew/edsl';
import { exampleHost } from './example-host.js';

export const command = 'du -sh $HOME';

export default workflowNode(withoutProduct(), {
  name: command,
  tags: ['1st-workflow', 'command-line'],
  make: daemonize(Program.sh(command), { host: exampleHost }),
});
