import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProgramSchema } from '../wire/program-schema.js';
import { Program } from './program.js';
import { shellQuote } from './shell-quote.js';

describe('Program builders', () => {
  it('build the wire format', () => {
    const program = Program.and(
      Program.sh('cd /tmp'),
      Program.exec(['ls', '-l']),
      Program.chain([Program.sh('a'), Program.sh('b')]),
    );
    expect(program).toEqual({
      kind: 'and',
      programs: [
        { kind: 'sh', command: 'cd /tmp' },
        { kind: 'exec', argv: ['ls', '-l'] },
        {
          kind: 'and',
          programs: [
            { kind: 'sh', command: 'a' },
            { kind: 'sh', command: 'b' },
          ],
        },
      ],
    });
    expect(ProgramSchema.parse(program)).toEqual(program);
  });

  it('copies the lists it is given', () => {
    const argv = ['echo', 'a'];
    const program = Program.exec(argv);
    argv.push('b');
    expect(program).toEqual({ kind: 'exec', argv: ['echo', 'a'] });
  });

  it('rejects an empty argv', () => {
    expect(() => Program.exec([])).toThrow(/argv must hold at least the program/);
  });
});

describe('Program.shf', () => {
  it('fills %s, %d, %S and %%', () => {
    expect(Program.shf('gzip -%d %S # 100%% of %s', 9, "/data/it's mine", 'it')).toEqual({
      kind: 'sh',
      command: `gzip -9 '/data/it'\\''s mine' # 100% of it`,
    });
  });

  it('accepts numbers for %s', () => {
    expect(Program.shf('sleep %s', 1.5)).toEqual({
      kind: 'sh',
      command: 'sleep 1.5',
    });
  });

  it.each([
    [() => Program.shf('%d' as string, 1.5), /argument 1 \(%d\) must be an integer, got 1.5/],
    [() => Program.shf('%d' as string, '3'), /argument 1 \(%d\) must be an integer/],
    [() => Program.shf('%S' as string, 3), /argument 1 \(%S\) must be a string/],
    [() => Program.shf('%s %s' as string, 'a'), /needs more than 1 argument/],
    [() => Program.shf('%s' as string, 'a', 'b'), /takes 1 argument\(s\), got 2/],
    [() => Program.shf('%q' as string), /unknown directive "%q"/],
    [() => Program.shf('50%' as string), /ends with a lone "%"/],
  ])('rejects bad uses (%#)', (call, message) => {
    expect(call).toThrow(message);
  });
});

describe('Program.toShell', () => {
  it('gives one shell string per leaf command, quoting every exec argument', () => {
    const program = Program.and(
      Program.sh('echo "$HOME"'),
      Program.and(Program.exec(['printf', '%s\\n', "it's", '$x']), Program.and()),
    );
    expect(Program.toShell(program)).toEqual(['echo "$HOME"', `'printf' '%s\\n' 'it'\\''s' '$x'`]);
  });

  it('gives no command for an empty sequence', () => {
    expect(Program.toShell(Program.chain([]))).toEqual([]);
  });
});

describe('shellQuote', () => {
  it('makes any string one shell word, read back unchanged by sh', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\0')),
        (word) => {
          const echoed = execFileSync('sh', ['-c', `printf '%s' ${shellQuote(word)}`], {
            encoding: 'utf8',
          });
          expect(echoed).toBe(word);
        },
      ),
      { numRuns: 60 },
    );
  });
});
