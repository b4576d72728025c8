import type { Host } from '@ketrew/edsl';
import { BackendError } from '@ketrew/engine';

/** Where runs go when the host names no playground (the original's habit of `/tmp`). */
export const DEFAULT_PLAYGROUND_ROOT = '/tmp/ketrew';

/**
 * The playground of one attempt of a node: `<host.playground ?? defaultRoot>/<node-id>/<attempt>`.
 * Node ids are path-safe by the wire format, except `.` and `..`, refused here.
 */
export function playgroundOf(
  host: Host,
  nodeId: string,
  attempt: number,
  defaultRoot: string,
): string {
  if (nodeId === '.' || nodeId === '..' || nodeId.includes('/')) {
    throw new BackendError(`daemonize: node id ${JSON.stringify(nodeId)} cannot name a directory`, {
      recoverable: false,
    });
  }
  const root = (host.playground ?? defaultRoot).replace(/\/+$/, '');
  return `${root}/${nodeId}/${attempt}`;
}

/** The attempt number at the end of a job name (`ketrew-<node id>-a<attempt>`), if any. */
export function attemptOfJobName(jobName: string): number | null {
  const match = /-a(\d{1,9})$/.exec(jobName);
  return match === null ? null : Number(match[1]);
}
