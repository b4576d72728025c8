import { describe, expectTypeOf, it } from 'vitest';
import { Program } from '../program/program.js';
import type { BuildProcessSpec, DaemonizeSpec } from '../wire/build-process-schema.js';
import { daemonize } from './daemonize.js';
import { buildProcess } from './plugin-build-process.js';

describe('build process types', () => {
  it('first-party constructors return their wire type', () => {
    expectTypeOf(daemonize(Program.sh('x'))).toEqualTypeOf<DaemonizeSpec>();
    expectTypeOf(daemonize(Program.sh('x'))).toExtend<BuildProcessSpec>();
  });

  it('buildProcess keeps the backend name and the parameters, and fits a node', () => {
    const make = buildProcess('kubernetes', { image: 'ubuntu', program: Program.sh('x') });
    expectTypeOf(make.backend).toEqualTypeOf<'kubernetes'>();
    expectTypeOf(make.image).toEqualTypeOf<string>();
    expectTypeOf(make).toExtend<BuildProcessSpec>();
    // @ts-expect-error: parameters must be JSON
    buildProcess('kubernetes', { when: new Date() });
    // @ts-expect-error: the backend is the first argument, not a parameter
    buildProcess('kubernetes', { backend: 'other' });
  });
});
