/**
 * A command with notification nodes: on success one mail, on failure another (through the
 * `mail` command of the host).
 */
import {
  Program,
  daemonize,
  onFailureActivate,
  onSuccessActivate,
  withoutProduct,
  workflowNode,
} from '@ketrew/edsl';
import type { Host, Program as ProgramType, WorkflowNode } from '@ketrew/edsl';
import { exampleHost } from './example-host.js';

export interface NotifyOptions {
  readonly name: string;
  readonly email: string;
  readonly host?: Host | undefined;
}

function mail(subject: string, body: string, email: string, host: Host): WorkflowNode {
  return workflowNode(withoutProduct(), {
    name: `mail: ${subject}`,
    make: daemonize(Program.shf('echo %S | mail -s %S %S', body, subject, email), { host }),
  });
}

/** `program` as a node that mails `email` when it ends, saying how. */
export function withNotifications(program: ProgramType, options: NotifyOptions): WorkflowNode {
  const host = options.host ?? exampleHost;
  return workflowNode(withoutProduct(), {
    name: options.name,
    make: daemonize(program, { host }),
    edges: [
      onSuccessActivate(mail(`${options.name} succeeded`, 'All good.', options.email, host)),
      onFailureActivate(
        mail(`${options.name} FAILED`, 'See `ketrew logs` for details.', options.email, host),
      ),
    ],
  });
}

export default withNotifications(Program.sh('ls -la /tmp/KT'), {
  name: 'list the playground',
  email: 'me@example.org',
});
