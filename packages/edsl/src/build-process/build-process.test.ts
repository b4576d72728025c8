import { describe, expect, it } from 'vitest';
import { Host } from '../host/host.js';
import { Program } from '../program/program.js';
import { validateBuildProcess } from '../wire/validate-workflow-spec.js';
import { daemonize } from './daemonize.js';
import { lsf } from './lsf.js';
import { noOperation } from './no-operation.js';
import { pbs } from './pbs.js';
import { buildProcess } from './plugin-build-process.js';
import { slurm } from './slurm.js';

const host = Host.parse('ssh://cluster/home/me/kt');
const program = Program.sh('make');

describe('first-party build processes', () => {
  it('noOperation', () => {
    expect(noOperation()).toEqual({ backend: 'no-operation' });
  });

  it('daemonize fills the defaults of the original (nohup-setsid, 5 s, /tmp on localhost)', () => {
    expect(daemonize(program)).toEqual({
      backend: 'daemonize',
      program,
      host: Host.tmpOnLocalhost,
      using: 'nohup-setsid',
      startingTimeout: 5,
    });
    expect(daemonize(program, { host, using: 'python-daemon', startingTimeout: 30 })).toMatchObject(
      {
        host,
        using: 'python-daemon',
        startingTimeout: 30,
      },
    );
  });

  it('lsf takes every option of bsub', () => {
    expect(
      lsf(program, {
        host,
        queue: 'normal',
        name: 'build',
        wallLimit: '1:30',
        processors: { min: 2, max: 8 },
        project: 'p1',
        memory: 4096,
        rawOptions: ['-x'],
      }),
    ).toEqual({
      backend: 'lsf',
      program,
      host,
      queue: 'normal',
      name: 'build',
      wallLimit: '1:30',
      processors: { min: 2, max: 8 },
      project: 'p1',
      memory: 4096,
      rawOptions: ['-x'],
    });
    expect(lsf(program)).toMatchObject({ queue: null, processors: null, rawOptions: [] });
  });

  it('pbs defaults to 24 hours, 1 processor, /bin/sh', () => {
    expect(pbs(program, { host, emailUser: { email: 'me@example.org' } })).toEqual({
      backend: 'pbs',
      program,
      host,
      queue: null,
      name: null,
      wallLimit: '24:00:00',
      processors: 1,
      emailUser: { when: 'always', email: 'me@example.org' },
      shell: '/bin/sh',
    });
  });

  it('slurm takes partition, account, time, cpus, memory, gpus', () => {
    expect(
      slurm(program, {
        host,
        partition: 'gpu',
        account: 'lab',
        time: '4:00:00',
        cpus: 4,
        memory: '8G',
        gpus: 1,
      }),
    ).toEqual({
      backend: 'slurm',
      program,
      host,
      partition: 'gpu',
      account: 'lab',
      name: null,
      time: '4:00:00',
      cpus: 4,
      memory: '8G',
      gpus: 1,
      rawOptions: [],
    });
  });

  it('produce valid wire build processes', () => {
    for (const make of [
      noOperation(),
      daemonize(program),
      lsf(program),
      pbs(program),
      slurm(program),
    ]) {
      expect(validateBuildProcess(make)).toEqual({ ok: true, make });
    }
  });

  it.each([
    [() => daemonize(program, { startingTimeout: 0 }), /^daemonize: startingTimeout: Too small/],
    [
      () => daemonize(program, { using: 'screen' as 'nohup-setsid' }),
      /^daemonize: using: Invalid option/,
    ],
    [() => lsf(program, { processors: 0 }), /^lsf: processors: /],
    [() => lsf(program, { memory: 1.5 }), /^lsf: memory: /],
    [() => pbs(program, { wallLimit: '2h' }), /^pbs: wallLimit: must be HH:MM:SS/],
    [() => pbs(program, { emailUser: { email: '' } }), /^pbs: emailUser.email: Too small/],
    [() => slurm(program, { gpus: -1 }), /^slurm: gpus: Too small/],
    [
      () => slurm(program, { partiton: 'gpu' } as never),
      /^slurm: partiton: unknown field "partiton"/,
    ],
  ])('reject bad options, naming the field (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});

describe('buildProcess (third-party backends)', () => {
  it('makes {backend, ...params}', () => {
    const make = buildProcess('kubernetes', { program, image: 'ubuntu:24.04', host });
    expect(make).toEqual({ backend: 'kubernetes', program, image: 'ubuntu:24.04', host });
    expect(validateBuildProcess(make)).toEqual({ ok: true, make });
  });

  it.each([
    [
      () => buildProcess('daemonize', {}),
      /"daemonize" is a first-party backend: use daemonize\(program, options\)/,
    ],
    [() => buildProcess('no-operation', {}), /use noOperation\(\)/],
    [() => buildProcess('Kube', {}), /bad backend name "Kube"/],
    [() => buildProcess('kube', { n: Number.NaN as number }), /^buildProcess: n: /],
    [() => buildProcess('kube', { host: 'h' }), /^buildProcess: host: /],
  ])('rejects what the wire format would (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});
