#!/usr/bin/env node
// The `ketrew` binary. Published packages ship `dist/` only, so this runs the bundle; in the
// repository (where `src/` exists) it runs the TypeScript sources through tsx with the
// `@ketrew/source` export condition, so `pnpm ketrew …` never needs a build. Set
// KETREW_CLI_USE_DIST=1 to run the bundle from the repository.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/ketrew.ts', import.meta.url);

if (existsSync(fileURLToPath(source)) && process.env.KETREW_CLI_USE_DIST !== '1') {
  // `pnpm ketrew …` from the repository root runs in a package directory: go back to where the
  // user typed the command so that relative paths (workflow files, -C) mean what they expect.
  if (process.env.npm_lifecycle_event === 'ketrew' && process.env.INIT_CWD) {
    process.chdir(process.env.INIT_CWD);
  }
  const addSourceCondition = `export async function resolve(specifier, context, next) {
    const conditions = context.conditions.includes('@ketrew/source')
      ? context.conditions
      : [...context.conditions, '@ketrew/source'];
    return next(specifier, { ...context, conditions });
  }`;
  register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  const tsx = await import('tsx/esm/api');
  tsx.register();
  globalThis[Symbol.for('ketrew.cli.tsx-registered')] = true;
  await import(source.href);
} else {
  await import('../dist/ketrew.js');
}
