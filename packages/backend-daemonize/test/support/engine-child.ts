// A server stand-in for the crash test: runs an Engine with the daemonize backend on an SQLite
// file store, submits a workflow, prints `ready`, and runs until it is killed.
// Run: node --import tsx --conditions=@ketrew/source engine-child.ts '<json input>'
import type { EngineConfigInput } from '@ketrew/engine';
import { loadSqliteStore, testEngine } from './engine-harness.js';

interface ChildInput {
  readonly databasePath: string;
  /** A workflow document for `engine.submit`. */
  readonly workflow: unknown;
  readonly config?: EngineConfigInput | undefined;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ChildInput;
const sqlite = await loadSqliteStore();
if (!('create' in sqlite)) {
  process.stderr.write(`${sqlite.unavailable}\n`);
  process.exit(2);
}
const store = sqlite.create({ path: input.databasePath });
const engine = testEngine(store, { config: input.config });
engine.events.subscribe((event) => {
  if (event.kind === 'engine-failed') process.stderr.write(`engine failed: ${event.message}\n`);
});
await engine.start();
await engine.submit(input.workflow);
process.stdout.write('ready\n');
// Keep running until SIGKILL: the engine's work is driven by its own timers and I/O.
setInterval(() => undefined, 60_000);
