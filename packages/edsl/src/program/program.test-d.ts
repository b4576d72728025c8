import { describe, expectTypeOf, it } from 'vitest';
import { Program } from './program.js';
import type { ShellFormatArguments } from './shell-format.js';

describe('Program.shf types', () => {
  it('derives the arguments from a literal format', () => {
    expectTypeOf<ShellFormatArguments<'cp %S %S'>>().toEqualTypeOf<[string, string]>();
    expectTypeOf<ShellFormatArguments<'head -n %d %S'>>().toEqualTypeOf<[number, string]>();
    expectTypeOf<ShellFormatArguments<'%s%%'>>().toEqualTypeOf<[string | number]>();
    expectTypeOf<ShellFormatArguments<'echo done'>>().toEqualTypeOf<[]>();
    expectTypeOf<ShellFormatArguments<'%q'>>().toBeNever();
    expectTypeOf<ShellFormatArguments<string>>().toEqualTypeOf<readonly (string | number)[]>();
  });

  it('checks calls', () => {
    Program.shf('cp %S %S', '/a', '/b');
    Program.shf('head -n %d %S', 10, '/a');
    // @ts-expect-error: %d takes a number
    Program.shf('head -n %d', '10');
    // @ts-expect-error: one argument missing
    Program.shf('cp %S %S', '/a');
    // @ts-expect-error: one argument too many
    Program.shf('echo done', 'extra');
    // @ts-expect-error: %q is not a directive
    Program.shf('echo %q', 'x');
  });

  it('builds programs', () => {
    expectTypeOf(Program.sh('ls')).toEqualTypeOf<Program>();
    expectTypeOf(Program.toShell).returns.toEqualTypeOf<string[]>();
  });
});
