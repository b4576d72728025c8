import { Host } from '../host/host.js';
import type { Program } from '../program/program.js';
import { parseOptions } from '../util/parse-options.js';
import { DaemonizeSchema } from '../wire/build-process-schema.js';
import type { DaemonizeSpec } from '../wire/build-process-schema.js';

export interface DaemonizeOptions {
  /** Where the program runs. Default `Host.tmpOnLocalhost`. */
  readonly host?: Host | undefined;
  /** How the job is detached: `nohup-setsid` (default) or `python-daemon` (no `setsid`). */
  readonly using?: 'nohup-setsid' | 'python-daemon' | undefined;
  /** Seconds to wait for the job's pid before the start counts as failed. Default 5. */
  readonly startingTimeout?: number | undefined;
}

/**
 * Runs `program` as a detached process on a host, inside the monitored script, in a fresh
 * playground directory; it survives server restarts. Throws `invalid-argument` on bad options.
 *
 * @example daemonize(Program.sh('du -sh $HOME'), { host: Host.parse('/tmp/KT') })
 */
export function daemonize(program: Program, options: DaemonizeOptions = {}): DaemonizeSpec {
  return parseOptions(
    DaemonizeSchema,
    {
      backend: 'daemonize',
      program,
      host: options.host ?? Host.tmpOnLocalhost,
      using: options.using,
      startingTimeout: options.startingTimeout,
    },
    'daemonize',
  );
}
