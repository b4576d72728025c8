import { flagValue } from '../bench-cli.js';

// Options of the server load benchmark, from flags (first) or environment variables.

export interface ServerLoadOptions {
  /** Requests sent per second, open loop. Default 50. */
  readonly rate: number;
  /** Length of the measured window, seconds. Default 30. */
  readonly seconds: number;
  /** Jobs of the workflow (a root depends on all of them). Default 1,000. */
  readonly nodes: number;
  /**
   * The server's `engine.concurrency` (jobs at once on this machine). Default 100: the jobs run
   * in about ten waves, so nodes start and finish through the whole window.
   */
  readonly concurrency: number;
  /** `sqlite` (a file in the temporary KETREW_ROOT) or a `postgresql://…` URL. */
  readonly database: string;
  /** Seed of the job durations and of the request mix. */
  readonly seed: number;
  /** Where to write the JSON report (also printed on stdout when absent). */
  readonly json: string | undefined;
  /** Keep the temporary KETREW_ROOT (configuration, database, server log, playgrounds). */
  readonly keep: boolean;
  /**
   * Also send the same reads once the workflow has finished (same database, engine idle), for
   * an A/B in the same conditions. Default on.
   */
  readonly idleWindow: boolean;
  /**
   * Scheduling priority (nice, -20..19) given to the server and to the load generator, so that
   * other work on a shared machine disturbs the figures less; `undefined` leaves them as they
   * are. Negative values need root.
   */
  readonly nice: number | undefined;
  /** Start the server with `--cpu-prof` writing its CPU profile into this directory at exit. */
  readonly cpuProfileDirectory: string | undefined;
}

export const SERVER_LOAD_USAGE = `server-load-bench: open-loop API reads against a real \`ketrew start-server\` running a workflow.
  --rate N           requests per second, sent on schedule (env KETREW_BENCH_RATE; default 50)
  --seconds N        length of the measured window (env KETREW_BENCH_SECONDS; default 30)
  --nodes N          jobs of the workflow, each a \`sleep\` (env KETREW_BENCH_LOAD_NODES; default 1000)
  --concurrency N    the server's engine.concurrency (env KETREW_BENCH_CONCURRENCY; default 100)
  --database D       sqlite (default) or a postgresql://… URL (env KETREW_BENCH_DATABASE);
                     PostgreSQL: the database is used as it is (the run's ids are unique)
  --seed N           seed of the job durations and the request mix (default 1)
  --json FILE        write the JSON report there
  --no-idle          skip the second window (the same reads once the workflow has finished,
                     engine idle: the A/B that shows what running jobs cost the API)
  --nice N           run the server and the load generator at this priority (-20..19; negative
                     needs root): less disturbed by other work on a shared machine
  --cpu-prof DIR     start the server with node --cpu-prof; its profile is written in DIR
                     when it stops
  --keep             keep the temporary KETREW_ROOT`;

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(text)}`);
  }
  return value;
}

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  const value = positiveNumber(name, text, fallback);
  if (!Number.isInteger(value)) {
    throw new Error(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

function niceness(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < -20 || value > 19) {
    throw new Error(`--nice must be an integer from -20 to 19, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Read the options. Unknown flags are ignored: the runner of every benchmark passes the same
 * arguments to each of them.
 */
export function parseServerLoadOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerLoadOptions | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const flag = (name: string): string | undefined => flagValue(argv, name);
  const database = flag('--database') ?? env['KETREW_BENCH_DATABASE'] ?? 'sqlite';
  if (database !== 'sqlite' && !/^postgres(ql)?:\/\//.test(database)) {
    throw new Error(`--database must be sqlite or a postgresql:// URL, got ${database}`);
  }
  return {
    rate: positiveNumber('--rate', flag('--rate') ?? env['KETREW_BENCH_RATE'], 50),
    seconds: positiveNumber('--seconds', flag('--seconds') ?? env['KETREW_BENCH_SECONDS'], 30),
    nodes: positiveInteger('--nodes', flag('--nodes') ?? env['KETREW_BENCH_LOAD_NODES'], 1_000),
    concurrency: positiveInteger(
      '--concurrency',
      flag('--concurrency') ?? env['KETREW_BENCH_CONCURRENCY'],
      100,
    ),
    database,
    seed: positiveInteger('--seed', flag('--seed'), 1),
    json: flag('--json'),
    keep: argv.includes('--keep'),
    idleWindow: !argv.includes('--no-idle'),
    cpuProfileDirectory: flag('--cpu-prof'),
    nice: niceness(flag('--nice')),
  };
}
