import { describe, expect, it } from 'vitest';
import { argumentsFor } from './run-all.js';

describe('argumentsFor', () => {
  it('gives each benchmark its own --json file and passes the rest as they are', () => {
    expect(
      argumentsFor('server-load-bench.ts', ['--rate', '10', '--json', '/tmp/out.json']),
    ).toEqual(['--rate', '10', '--json', '/tmp/out.server-load.json']);
    expect(argumentsFor('engine-bench.ts', ['--json', 'report'])).toEqual([
      '--json',
      'report.engine',
    ]);
    expect(argumentsFor('engine-bench.ts', ['--runs', '3'])).toEqual(['--runs', '3']);
  });
});
