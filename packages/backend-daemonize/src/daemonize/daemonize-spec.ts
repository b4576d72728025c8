import { DaemonizeSchema, type DaemonizeSpec } from '@ketrew/edsl';
import { BackendError } from '@ketrew/engine';

/** The node's build process as a daemonize spec; a fatal error naming the fields otherwise. */
export function daemonizeSpecOf(make: unknown): DaemonizeSpec {
  const parsed = DaemonizeSchema.safeParse(make);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
  );
  throw new BackendError(`daemonize: not a daemonize build process: ${problems.join('; ')}`, {
    recoverable: false,
    details: { problems },
  });
}
