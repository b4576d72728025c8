import { flagValue } from '../bench-cli.js';

// Options of the local benchmark, from flags (first) or environment variables.

export interface LocalBenchOptions {
  /** Leaves of the fan-out; 0 skips it. Default 10,000. */
  readonly fanOut: number;
  /** Links of the chain; 0 skips it. Default 1,000. */
  readonly chain: number;
  /** `make -jN` and `snakemake --cores N`. Default 2. */
  readonly jobs: number;
  readonly skipSnakemake: boolean;
  readonly skipMake: boolean;
  /** The engine's poll interval for daemonize, ms. Default 20. */
  readonly pollMs: number;
  /**
   * Ketrew's jobs at once on this machine (`localHostCpus`), one Ketrew run per entry;
   * `undefined` = the engine's default (the number of cores). Default `[undefined]`.
   */
  readonly slots: readonly (number | undefined)[];
  /** Where to write the JSON report (also printed on stdout when absent). */
  readonly json: string | undefined;
  /** Keep the temporary directories (for inspection). */
  readonly keep: boolean;
  /**
   * Also run Ketrew with the daemonize backend as it polled and started jobs before push: no
   * notify directory, one Node spawn per start, a `ps` at every poll (an A/B in one run).
   */
  readonly withClassic: boolean;
}

export const LOCAL_BENCH_USAGE = `local-bench: Ketrew (Engine + daemonize) vs make and Snakemake, side by side.
  --fan-out N        leaves of the fan-out (env KETREW_BENCH_FANOUT; default 10000; 0 skips)
  --chain N          links of the chain (env KETREW_BENCH_CHAIN; default 1000; 0 skips)
  --jobs N           make -jN / snakemake --cores N (env KETREW_BENCH_JOBS; default 2)
  --skip-snakemake   do not run Snakemake (env KETREW_BENCH_SKIP_SNAKEMAKE=1)
  --skip-make        do not run make (env KETREW_BENCH_SKIP_MAKE=1)
  --poll-ms N        engine poll interval for daemonize (env KETREW_BENCH_POLL_MS; default 20)
  --slots N[,M…]     Ketrew's local jobs at once, one Ketrew run per value; "cores" = the
                     engine's default (env KETREW_BENCH_SLOTS; default: cores)
  --json FILE        write the JSON report there
  --keep             keep the temporary directories
  --with-classic     also run Ketrew with daemonize as before push: no notify directory, a
                     spawn per start, ps at every poll (env KETREW_BENCH_CLASSIC=1)`;

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Read the options. Unknown flags are ignored: the runner of every benchmark passes the same
 * arguments to each of them.
 */
export function parseLocalBenchOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): LocalBenchOptions | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const flag = (name: string): string | undefined => flagValue(argv, name);
  const on = (name: string, variable: string): boolean =>
    argv.includes(name) || ['1', 'true', 'yes'].includes(env[variable] ?? '');
  const slots = flag('--slots') ?? env['KETREW_BENCH_SLOTS'];
  return {
    fanOut: positiveInteger('--fan-out', flag('--fan-out') ?? env['KETREW_BENCH_FANOUT'], 10_000),
    chain: positiveInteger('--chain', flag('--chain') ?? env['KETREW_BENCH_CHAIN'], 1_000),
    jobs: Math.max(1, positiveInteger('--jobs', flag('--jobs') ?? env['KETREW_BENCH_JOBS'], 2)),
    skipSnakemake: on('--skip-snakemake', 'KETREW_BENCH_SKIP_SNAKEMAKE'),
    skipMake: on('--skip-make', 'KETREW_BENCH_SKIP_MAKE'),
    pollMs: positiveInteger('--poll-ms', flag('--poll-ms') ?? env['KETREW_BENCH_POLL_MS'], 20),
    slots:
      slots === undefined || slots === ''
        ? [undefined]
        : slots
            .split(',')
            .map((item) =>
              item === 'cores' ? undefined : Math.max(1, positiveInteger('--slots', item, 1)),
            ),
    json: flag('--json'),
    keep: argv.includes('--keep'),
    withClassic: on('--with-classic', 'KETREW_BENCH_CLASSIC'),
  };
}
