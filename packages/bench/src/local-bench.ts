// Local execution benchmark (DESIGN.md §12), side by side in one run on one machine:
// (a) a fan-out of 10,000 jobs (a no-op root over 10,000 daemonized `touch` jobs) through the
//     real Engine + daemonize backend, vs `make -j2` and `snakemake --cores 2` on the same shape;
// (b) a chain of 1,000 jobs: Ketrew's median hop (success of job i → start of job i+1, from the
//     monitored scripts' logs) and the chain's total time vs make and Snakemake.
// Run: pnpm --filter @ketrew/bench run bench:local [-- --fan-out 1000 --chain 200 --skip-snakemake]
// (`-- --help` lists every option). Needs make and snakemake on the PATH (scripts/bench.sh).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable, meetsGoal, type BenchReport, type Measurement } from './bench-report.js';
import { runKetrew, type KetrewRun } from './local/ketrew-local.js';
import {
  LOCAL_BENCH_USAGE,
  parseLocalBenchOptions,
  type LocalBenchOptions,
} from './local/local-options.js';
import {
  runMake,
  runSnakemake,
  toolVersion,
  type PeerRun,
  type Shape,
} from './local/peer-tools.js';
import { machine } from './machine.js';
import { isMainModule } from './bench-cli.js';

const count = (n: number): string => n.toLocaleString('en-US');
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** The value at quantile q (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** One way of running Ketrew: how many local slots; daemonize as shipped or `classic`. */
interface KetrewVariant {
  readonly name: string;
  readonly slots: number | undefined;
  /** Daemonize without push, launcher and cheap polls (the comparison; no goals apply). */
  readonly classic: boolean;
}

function variantsOf(options: LocalBenchOptions): KetrewVariant[] {
  return options.slots.flatMap((slots) => {
    const label = slots === undefined ? 'default slots' : `${slots} slots`;
    const shipped = { name: `ketrew (${label})`, slots, classic: false };
    const classic = { name: `ketrew classic daemonize (${label})`, slots, classic: true };
    return options.withClassic ? [classic, shipped] : [shipped];
  });
}

interface ShapeResult {
  readonly make?: PeerRun | undefined;
  readonly snakemake?: PeerRun | undefined;
  readonly ketrew: readonly (KetrewVariant & { readonly run: KetrewRun })[];
}

function checkMarkers(tool: string, markers: number, n: number): void {
  if (markers !== n) throw new Error(`${tool} wrote ${markers} markers for ${n} jobs`);
}

/** Run every tool on one shape, each in a fresh temporary directory. */
async function runShape(
  shape: Shape,
  n: number,
  options: LocalBenchOptions,
  tools: { readonly make: boolean; readonly snakemake: boolean },
  directories: string[],
): Promise<ShapeResult> {
  const fresh = (tool: string): string => {
    const directory = mkdtempSync(join(tmpdir(), `ketrew-local-bench-${shape}-${tool}-`));
    directories.push(directory);
    return directory;
  };
  const log = (what: string): void =>
    console.error(`[local-bench] ${new Date().toISOString()} ${shape} of ${count(n)}: ${what}`);
  let make: PeerRun | undefined;
  if (tools.make) {
    log(`make -j${options.jobs}`);
    make = runMake(fresh('make'), shape, n, options.jobs);
    checkMarkers('make', make.markers, n);
  }
  const ketrew: (KetrewVariant & { run: KetrewRun })[] = [];
  for (const variant of variantsOf(options)) {
    log(variant.name);
    const run = await runKetrew(fresh('ketrew'), shape, n, {
      pollIntervalMs: options.pollMs,
      slots: variant.slots,
      classic: variant.classic,
    });
    checkMarkers(variant.name, run.markers, n);
    ketrew.push({ ...variant, run });
  }
  let snakemake: PeerRun | undefined;
  if (tools.snakemake) {
    log(`snakemake --cores ${options.jobs}`);
    snakemake = runSnakemake(fresh('snakemake'), shape, n, options.jobs);
    checkMarkers('snakemake', snakemake.markers, n);
  }
  return { make, snakemake, ketrew };
}

function measurementsOf(
  shape: Shape,
  n: number,
  result: ShapeResult,
  options: LocalBenchOptions,
): Measurement[] {
  const label = `${shape} of ${count(n)}`;
  const { make, snakemake } = result;
  const out: Measurement[] = [];
  if (make !== undefined) {
    out.push({ name: `${label}: make -j${options.jobs}`, value: round(make.seconds), unit: 's' });
  }
  if (snakemake !== undefined) {
    out.push({
      name: `${label}: snakemake --cores ${options.jobs}`,
      value: round(snakemake.seconds),
      unit: 's',
    });
  }
  for (const { name, run, classic } of result.ketrew) {
    // Goals apply to Ketrew as shipped, not to the classic comparison.
    const goal = (op: '<=' | '>=', value: number) => (classic ? undefined : { op, value });
    out.push({
      name: `${label}: ${name}`,
      value: round(run.seconds),
      unit: 's',
      detail: `poll ${options.pollMs} ms; engine CPU ${count(Math.round(run.cpuMs))} ms; ${count(run.status.polls['daemonize'] ?? 0)} polls, ${count(run.status.ticks)} ticks`,
    });
    if (shape === 'chain') {
      out.push(
        {
          name: `${label}: ${name} median hop`,
          value: round(quantile(run.hopsMs, 0.5)),
          unit: 'ms',
          goal: goal('<=', 5),
          detail: `success of job i → start of job i+1 (monitored logs); p90 ${round(quantile(run.hopsMs, 0.9))} ms`,
        },
        {
          name: `${label}: ${name} hop: detection`,
          value: round(quantile(run.hopParts.detectionMs, 0.5)),
          unit: 'ms',
          detail: 'median; success of job i (log) → the engine records it (a poll saw it end)',
        },
        {
          name: `${label}: ${name} hop: launch`,
          value: round(quantile(run.hopParts.launchMs, 0.5)),
          unit: 'ms',
          detail: 'median; the engine records job i+1 starting → its script logs start',
        },
      );
    }
    if (make !== undefined) {
      out.push({
        name: `${label}: ${name} / make`,
        value: round(run.seconds / make.seconds),
        unit: '×',
        goal: shape === 'fan-out' ? goal('<=', 3) : undefined,
      });
    }
    if (snakemake !== undefined) {
      out.push({
        name: `${label}: snakemake / ${name}`,
        value: round(snakemake.seconds / run.seconds),
        unit: '×',
        goal: shape === 'fan-out' ? goal('>=', 10) : undefined,
      });
    }
  }
  return out;
}

export interface LocalBenchReport extends BenchReport {
  readonly settings: Omit<LocalBenchOptions, 'json' | 'keep'>;
  readonly tools: Readonly<Record<string, string | null>>;
  readonly command: string;
}

export async function localBench(options: LocalBenchOptions): Promise<LocalBenchReport> {
  const versions = {
    make: options.skipMake ? null : toolVersion('make'),
    snakemake: options.skipSnakemake ? null : toolVersion('snakemake'),
  };
  for (const [tool, version] of Object.entries(versions)) {
    const skipped = tool === 'make' ? options.skipMake : options.skipSnakemake;
    if (!skipped && version === null) {
      console.error(
        `[local-bench] ${tool} is not installed (scripts/bench.sh installs it): skipped`,
      );
    }
  }
  const tools = { make: versions.make !== null, snakemake: versions.snakemake !== null };
  const directories: string[] = [];
  const measurements: Measurement[] = [];
  try {
    for (const [shape, n] of [
      ['fan-out', options.fanOut],
      ['chain', options.chain],
    ] as const) {
      if (n === 0) continue;
      const result = await runShape(shape, n, options, tools, directories);
      measurements.push(...measurementsOf(shape, n, result, options));
    }
  } finally {
    if (options.keep) console.error(`[local-bench] kept ${directories.join(' ')}`);
    else for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  }
  const { json: _json, keep: _keep, ...settings } = options;
  return {
    benchmark: 'Local execution (Engine + daemonize vs make, Snakemake)',
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    measurements,
    settings,
    tools: versions,
    command: ['node --import tsx --conditions=@ketrew/source src/local-bench.ts']
      .concat(process.argv.slice(2))
      .join(' '),
  };
}

if (isMainModule(import.meta.url)) {
  const options = parseLocalBenchOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(LOCAL_BENCH_USAGE);
  } else {
    const report = await localBench(options);
    console.log(formatTable(report));
    if (options.json !== undefined) {
      writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    } else {
      console.log(JSON.stringify(report));
    }
    if (!report.measurements.every(meetsGoal)) process.exitCode = 1;
  }
}
