/** The one-command example, as a PBS/Torque job (`qsub`) instead of a detached process. */
import { Program, pbs, withoutProduct, workflowNode } from '@ketrew/edsl';
import { exampleHost } from './example-host.js';
import { command } from './one-command.js';

export default workflowNode(withoutProduct(), {
  name: `${command} (PBS)`,
  tags: ['pbs'],
  make: pbs(Program.sh(command), { host: exampleHost, queue: 'batch', wallLimit: '00:10:00' }),
});
