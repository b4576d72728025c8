import { Host } from '../host/host.js';
import type { Program } from '../program/program.js';
import { parseOptions } from '../util/parse-options.js';
import { SlurmSchema } from '../wire/build-process-schema.js';
import type { SlurmSpec } from '../wire/build-process-schema.js';

export interface SlurmOptions {
  /** The host where `sbatch` runs. Default `Host.tmpOnLocalhost`. */
  readonly host?: Host | undefined;
  /** `--partition`. */
  readonly partition?: string | undefined;
  /** `--account`. */
  readonly account?: string | undefined;
  /** `--job-name`. Default: the engine's job name. */
  readonly name?: string | undefined;
  /** `--time`, e.g. `'2:00:00'` or `'1-00:00:00'`. */
  readonly time?: string | undefined;
  /** `--cpus-per-task`. */
  readonly cpus?: number | undefined;
  /** `--mem`, e.g. `'4G'`. */
  readonly memory?: string | undefined;
  /** `--gpus`. */
  readonly gpus?: number | undefined;
  /** More `sbatch` arguments, passed as they are. */
  readonly rawOptions?: readonly string[] | undefined;
}

/**
 * Submits `program` as a Slurm job with `sbatch`. Throws `invalid-argument` on bad options.
 *
 * @example slurm(Program.sh('python train.py'), { host, partition: 'gpu', gpus: 1, time: '4:00:00' })
 */
export function slurm(program: Program, options: SlurmOptions = {}): SlurmSpec {
  return parseOptions(
    SlurmSchema,
    {
      ...options,
      backend: 'slurm',
      program,
      host: options.host ?? Host.tmpOnLocalhost,
      rawOptions: options.rawOptions === undefined ? undefined : [...options.rawOptions],
    },
    'slurm',
  );
}
