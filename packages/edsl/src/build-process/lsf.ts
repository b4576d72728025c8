import { Host } from '../host/host.js';
import type { Program } from '../program/program.js';
import { parseOptions } from '../util/parse-options.js';
import { LsfSchema } from '../wire/build-process-schema.js';
import type { LsfSpec } from '../wire/build-process-schema.js';

export interface LsfOptions {
  /** The host where `bsub` runs. Default `Host.tmpOnLocalhost`. */
  readonly host?: Host | undefined;
  /** `bsub -q`. */
  readonly queue?: string | undefined;
  /** `bsub -J`. Default: the engine's job name. */
  readonly name?: string | undefined;
  /** `bsub -W`, e.g. `'1:30'`. */
  readonly wallLimit?: string | undefined;
  /** `bsub -n N` or `-n MIN,MAX`, with `-R 'span[hosts=1]'`. */
  readonly processors?: number | { readonly min: number; readonly max: number } | undefined;
  /** `bsub -P`. */
  readonly project?: string | undefined;
  /** Megabytes, `-R rusage[mem=MB]`. */
  readonly memory?: number | undefined;
  /** More `bsub` arguments, passed as they are. */
  readonly rawOptions?: readonly string[] | undefined;
}

/**
 * Submits `program` as an LSF job with `bsub`. Throws `invalid-argument` on bad options.
 *
 * @example lsf(Program.sh('make -j8'), { host, queue: 'normal', wallLimit: '2:00', processors: 8 })
 */
export function lsf(program: Program, options: LsfOptions = {}): LsfSpec {
  return parseOptions(
    LsfSchema,
    {
      ...options,
      backend: 'lsf',
      program,
      host: options.host ?? Host.tmpOnLocalhost,
      processors:
        typeof options.processors === 'object' ? { ...options.processors } : options.processors,
      rawOptions: options.rawOptions === undefined ? undefined : [...options.rawOptions],
    },
    'lsf',
  );
}
