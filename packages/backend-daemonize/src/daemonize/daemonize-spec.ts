import { DaemonizeSchema, type DaemonizeSpec } from '@ketrew/edsl';
import { BackendError } from '@ketrew/engine';

/** Specs already checked, by (frozen) object: the engine's nodes are deep-frozen. */
const checked = new WeakMap<object, DaemonizeSpec>();

/** The node's build process as a daemonize spec; a fatal error naming the fields otherwise. */
export function daemonizeSpecOf(make: unknown): DaemonizeSpec {
  const frozen = typeof make === 'object' && make !== null && Object.isFrozen(make);
  const known = frozen ? checked.get(make) : undefined;
  if (known !== undefined) return known;
  const spec = checkSpec(make);
  if (frozen) checked.set(make, spec);
  return spec;
}

function checkSpec(make: unknown): DaemonizeSpec {
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
