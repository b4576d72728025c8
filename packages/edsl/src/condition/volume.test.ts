import { describe, expect, it } from 'vitest';
import { Host } from '../host/host.js';
import { VolumeSchema } from '../wire/condition-schema.js';
import { Volume } from './volume.js';

describe('Volume', () => {
  const host = Host.parse('ssh://cluster/home/me/kt');

  it('creates volumes of files and directories', () => {
    const volume = Volume.create(
      '/data/run-1/',
      Volume.dir('fastq', [Volume.file('r1.fq'), Volume.dir('empty')]),
      { host },
    );
    expect(volume).toEqual({
      host,
      root: '/data/run-1',
      structure: {
        kind: 'directory',
        name: 'fastq',
        children: [
          { kind: 'file', name: 'r1.fq' },
          { kind: 'directory', name: 'empty', children: [] },
        ],
      },
    });
    expect(VolumeSchema.parse(volume)).toEqual(volume);
    expect(Volume.allPaths(volume)).toEqual([
      '/data/run-1/fastq',
      '/data/run-1/fastq/r1.fq',
      '/data/run-1/fastq/empty',
    ]);
  });

  it('makes the volume of one file, on /tmp of localhost by default', () => {
    const volume = Volume.ofFile('/x.bam');
    expect(volume).toEqual({
      host: Host.tmpOnLocalhost,
      root: '/',
      structure: { kind: 'file', name: 'x.bam' },
    });
    expect(Volume.allPaths(volume)).toEqual(['/x.bam']);
    expect(Volume.allPaths(Volume.ofFile('/data//a/b.txt'))).toEqual(['/data/a/b.txt']);
  });

  it.each([
    [() => Volume.create('data', Volume.file('x')), /root: "data" is not an absolute path/],
    [() => Volume.file('a/b'), /"a\/b" is not a file or directory name/],
    [() => Volume.dir('..'), /"\.\." is not a file or directory name/],
    [() => Volume.file(''), /"" is not a file or directory name/],
    [() => Volume.ofFile('relative.txt'), /not an absolute path/],
    [() => Volume.ofFile('/data/'), /names a directory/],
    [() => Volume.ofFile('/'), /names a directory/],
    [() => Volume.ofFile('/data/..'), /does not name a file/],
  ])('rejects bad paths and names (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});
