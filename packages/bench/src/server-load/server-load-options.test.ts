import { describe, expect, it } from 'vitest';
import { parseServerLoadOptions } from './server-load-options.js';

describe('parseServerLoadOptions', () => {
  it('defaults to issue 6: 50 reads/s for 30 s with 1,000 jobs on SQLite', () => {
    expect(parseServerLoadOptions([], {})).toMatchObject({
      rate: 50,
      seconds: 30,
      nodes: 1000,
      database: 'sqlite',
      idleWindow: true,
      json: undefined,
    });
  });

  it('reads flags before environment variables and ignores unknown flags', () => {
    const options = parseServerLoadOptions(
      ['--rate', '10', '--runs', '3', '--no-idle', '--database', 'postgresql://u@h/db'],
      { KETREW_BENCH_RATE: '99', KETREW_BENCH_SECONDS: '5' },
    );
    expect(options).toMatchObject({
      rate: 10,
      seconds: 5,
      idleWindow: false,
      database: 'postgresql://u@h/db',
    });
  });

  it('refuses bad values', () => {
    expect(() => parseServerLoadOptions(['--rate', '0'], {})).toThrow(/--rate/);
    expect(() => parseServerLoadOptions(['--nodes', '1.5'], {})).toThrow(/--nodes/);
    expect(() => parseServerLoadOptions(['--database', 'mysql://x'], {})).toThrow(/--database/);
    expect(() => parseServerLoadOptions(['--nice', '-30'], {})).toThrow(/--nice/);
    expect(parseServerLoadOptions(['--nice', '-5'], {})).toMatchObject({ nice: -5 });
    expect(parseServerLoadOptions(['--help'], {})).toBe('help');
  });
});
