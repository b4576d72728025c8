import { Host } from '../host/host.js';
import type { Program } from '../program/program.js';
import { parseOptions } from '../util/parse-options.js';
import { PbsSchema } from '../wire/build-process-schema.js';
import type { PbsSpec } from '../wire/build-process-schema.js';

export interface PbsOptions {
  /** The host where `qsub` runs. Default `Host.tmpOnLocalhost`. */
  readonly host?: Host | undefined;
  /** `#PBS -q`. */
  readonly queue?: string | undefined;
  /** `#PBS -N`. Default: the engine's job name. */
  readonly name?: string | undefined;
  /** `walltime`, `HH:MM:SS`. Default `'24:00:00'`. */
  readonly wallLimit?: string | undefined;
  /** `nodes=1:ppn=P`. Default 1. */
  readonly processors?: number | undefined;
  /** `#PBS -m abe -M EMAIL` (`when: 'always'`, the default) or `-m n` (`'never'`). */
  readonly emailUser?:
    { readonly email: string; readonly when?: 'always' | 'never' | undefined } | undefined;
  /** `#PBS -S`. Default `/bin/sh`. */
  readonly shell?: string | undefined;
}

/**
 * Submits `program` as a PBS/Torque job with `qsub`. Throws `invalid-argument` on bad options.
 *
 * @example pbs(Program.sh('./simulate'), { host, queue: 'batch', wallLimit: '12:00:00' })
 */
export function pbs(program: Program, options: PbsOptions = {}): PbsSpec {
  return parseOptions(
    PbsSchema,
    {
      ...options,
      backend: 'pbs',
      program,
      host: options.host ?? Host.tmpOnLocalhost,
      emailUser: options.emailUser === undefined ? undefined : { ...options.emailUser },
    },
    'pbs',
  );
}
