// Runs every benchmark of this package, one process each: every `src/*-bench.ts` file.
// Run: pnpm bench (from the root) or pnpm --filter @ketrew/bench run bench
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(here)
  .filter((file) => file.endsWith('-bench.ts'))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@ketrew/source', join(here, file), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`\n${failed} of ${benches.length} benchmarks missed a goal or failed`);
  process.exitCode = 1;
}
