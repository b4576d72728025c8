import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

// The peers of the local benchmark, on the same shapes as Ketrew: make and Snakemake. Every job,
// whatever the tool, is one shell running `touch <marker>` (Snakemake needs an output per job,
// so all three tools write one): make runs `touch $@;` (the `;` makes it use /bin/sh -c instead
// of exec'ing touch directly), Snakemake runs `touch {output}` in its bash, Ketrew's monitored
// script (bash) evals `touch <marker>`.

/** One timed run of a peer tool. */
export interface PeerRun {
  readonly seconds: number;
  /** Markers written (must equal the number of jobs). */
  readonly markers: number;
  readonly command: string;
}

export type Shape = 'fan-out' | 'chain';

/** Whether `program` can be run (`program --version` exits 0); its first output line. */
export function toolVersion(program: string): string | null {
  const result = spawnSync(program, ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return null;
  return (result.stdout || result.stderr).split('\n')[0]?.trim() ?? '';
}

function timed(command: string, argv: readonly string[], cwd: string): number {
  const start = performance.now();
  const result = spawnSync(argv[0] as string, argv.slice(1), {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) {
    throw new Error(
      `${command} failed (${String(result.status ?? result.signal)}): ${(result.stderr ?? '').slice(-2000)}`,
    );
  }
  return seconds;
}

function markersIn(directory: string): number {
  return readdirSync(directory).length;
}

/** A Makefile: `all` depends on n markers (fan-out), or on the last of a chain of n. */
export function makefile(shape: Shape, n: number): string {
  const lines: string[] = ['.PHONY: all'];
  if (shape === 'fan-out') {
    const targets = Array.from({ length: n }, (_, i) => `out/${i}`);
    lines.push(`all: ${targets.join(' ')}`, 'out/%:', '\ttouch $@;');
  } else {
    lines.push(`all: out/${n - 1}`, 'out/0:', '\ttouch $@;');
    for (let i = 1; i < n; i++) lines.push(`out/${i}: out/${i - 1}`, '\ttouch $@;');
  }
  return `${lines.join('\n')}\n`;
}

/** `make -jJOBS` on a fresh directory; the time of the whole `make` process. */
export function runMake(directory: string, shape: Shape, n: number, jobs: number): PeerRun {
  mkdirSync(join(directory, 'out'), { recursive: true });
  writeFileSync(join(directory, 'Makefile'), makefile(shape, n));
  const argv = ['make', '-s', `-j${jobs}`, 'all'];
  const seconds = timed(argv.join(' '), argv, directory);
  return { seconds, markers: markersIn(join(directory, 'out')), command: argv.join(' ') };
}

/** A Snakefile of the shape; `n` comes from `--config n=N`. */
export function snakefile(shape: Shape): string {
  if (shape === 'fan-out') {
    return [
      'N = int(config["n"])',
      'rule all:',
      '    input: expand("out/{i}", i=range(N))',
      'rule leaf:',
      '    output: "out/{i}"',
      '    shell: "touch {output}"',
      '',
    ].join('\n');
  }
  return [
    'import sys',
    'sys.setrecursionlimit(1_000_000)',
    'N = int(config["n"])',
    'rule all:',
    '    input: f"out/{N - 1}"',
    'rule link:',
    '    input: lambda w: [] if int(w.i) == 0 else [f"out/{int(w.i) - 1}"]',
    '    output: "out/{i}"',
    '    shell: "touch {output}"',
    '',
  ].join('\n');
}

/** `snakemake --cores CORES` on a fresh directory; the time of the whole process. */
export function runSnakemake(directory: string, shape: Shape, n: number, cores: number): PeerRun {
  mkdirSync(join(directory, 'out'), { recursive: true });
  writeFileSync(join(directory, 'Snakefile'), snakefile(shape));
  const argv = [
    'snakemake',
    '--snakefile',
    'Snakefile',
    '--cores',
    String(cores),
    '--config',
    `n=${n}`,
    // Snakemake 7's default scheduler solves an ILP at every step: 1,000 jobs take 4× longer
    // than with `greedy`, 10,000 do not finish within half an hour. Greedy is its fast setting.
    '--scheduler',
    'greedy',
    '--quiet',
    'all',
  ];
  const seconds = timed(argv.join(' '), argv, directory);
  return { seconds, markers: markersIn(join(directory, 'out')), command: argv.join(' ') };
}
