import { basename } from 'node:path';

/**
 * Whether the module at `moduleUrl` is the script node was started with (each benchmark file
 * runs alone with `node … src/<name>-bench.ts`, and is imported by tests and `run-all`).
 */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl.endsWith(basename(script));
}

/** The word after `name` on the command line (`--runs 3` → `3`), if the flag is there. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}
