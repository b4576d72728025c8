import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The core must stay pure (STYLE.md, "The pure core"): no Node built-in, no clock, no timer,
 * no randomness. ESLint forbids them too; this test is the mechanical check that does not depend
 * on a linter configuration.
 */

const FORBIDDEN_MENTIONS: readonly [RegExp, string][] = [
  [/\bDate\s*\.\s*now\b/, 'Date.now'],
  [/\bnew\s+Date\b/, 'new Date'],
  [/\bMath\s*\.\s*random\b/, 'Math.random'],
  [/\bperformance\s*\.\s*now\b/, 'performance.now'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\b/, 'a timer'],
  [/\bprocess\s*\./, 'process'],
  [/\bconsole\s*\./, 'console'],
  [/\bcrypto\s*\.\s*(randomUUID|getRandomValues)\b/, 'crypto randomness'],
];

const IMPORT_PATTERNS: readonly RegExp[] = [
  /\b(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Problems found in one source file: Node built-in imports and impure calls, comments aside. */
function findPurityViolations(source: string, builtins: readonly string[]): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const problems: string[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] ?? '';
      const bare = specifier.split('/')[0] ?? '';
      if (specifier.startsWith('node:') || builtins.includes(bare)) {
        problems.push(`imports the Node built-in '${specifier}'`);
      }
    }
  }
  for (const [pattern, what] of FORBIDDEN_MENTIONS) {
    if (pattern.test(code)) problems.push(`uses ${what}`);
  }
  return problems;
}

const coreDirectory = dirname(fileURLToPath(import.meta.url));

function coreSourceFiles(): string[] {
  return readdirSync(coreDirectory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !/\.test(-d)?\.ts$/.test(file))
    .sort();
}

describe('the purity scanner', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", "imports the Node built-in 'node:fs'"],
    ["import fs from 'fs';", "imports the Node built-in 'fs'"],
    ["export { join } from 'path';", "imports the Node built-in 'path'"],
    ["import type { Worker } from 'worker_threads';", "imports the Node built-in 'worker_threads'"],
    ["const cp = await import('child_process');", "imports the Node built-in 'child_process'"],
    ["import 'node:process';", "imports the Node built-in 'node:process'"],
    ["import { promises } from 'fs/promises';", "imports the Node built-in 'fs/promises'"],
    ['const now = Date.now();', 'uses Date.now'],
    ['const d = new Date();', 'uses new Date'],
    ['const r = Math.random();', 'uses Math.random'],
    ['setTimeout(() => {}, 10);', 'uses a timer'],
    ['const t = performance.now();', 'uses performance.now'],
    ["console.log('x');", 'uses console'],
    ['const e = process.env;', 'uses process'],
  ])('catches %s', (source, problem) => {
    expect(findPurityViolations(source, builtinModules)).toContain(problem);
  });

  it('accepts pure code, and impure words inside comments', () => {
    const source = [
      "import type { NodeSpec } from '@ketrew/edsl';",
      "import { jobNameOf } from './job-name.js';",
      '/** Never calls Date.now or Math.random: time arrives in events. */',
      'export const later = (time: number) => time + 1; // not setTimeout',
      'const updated = { updatedAt: 1, processed: true, consoleLike: 2 };',
    ].join('\n');
    expect(findPurityViolations(source, builtinModules)).toEqual([]);
  });
});

describe('src/core', () => {
  const files = coreSourceFiles();

  it('has source files to check (the scan is not vacuous)', () => {
    expect(files).toContain('transition.ts');
    expect(files).toContain(join('test-support', 'node-fixtures.ts'));
  });

  it.each(files)('%s is pure', (file) => {
    const source = readFileSync(join(coreDirectory, file), 'utf8');
    expect(findPurityViolations(source, builtinModules)).toEqual([]);
  });
});
