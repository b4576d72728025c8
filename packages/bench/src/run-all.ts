// Runs every benchmark of this package, one process each: every `src/*-bench.ts` file (engine,
// local, server-load, stores, …), each given the same arguments (a benchmark ignores the flags it
// does not know). `--json FILE` becomes one file per benchmark: FILE with the benchmark's name
// before its extension (`out.json` → `out.server-load.json`), so they do not overwrite each other.
// Run: pnpm bench (from the root) or pnpm --filter @ketrew/bench run bench
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainModule } from './bench-cli.js';

/** The arguments for one benchmark: `--json FILE` made that benchmark's own file. */
export function argumentsFor(bench: string, argv: readonly string[]): string[] {
  const name = bench.replace(/-bench\.ts$/, '');
  return argv.map((arg, i) => {
    if (i === 0 || argv[i - 1] !== '--json') return arg;
    const extension = extname(arg);
    return `${arg.slice(0, arg.length - extension.length)}.${name}${extension}`;
  });
}

if (isMainModule(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const benches = readdirSync(here)
    .filter((file) => file.endsWith('-bench.ts'))
    .sort();
  let failed = 0;
  for (const file of benches) {
    console.log(`\n=== ${file}`);
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@ketrew/source',
        join(here, file),
        ...argumentsFor(file, process.argv.slice(2)),
      ],
      { stdio: 'inherit' },
    );
    if (result.status !== 0) failed++;
  }
  if (failed > 0) {
    console.error(`\n${failed} of ${benches.length} benchmarks missed a goal or failed`);
    process.exitCode = 1;
  }
}
