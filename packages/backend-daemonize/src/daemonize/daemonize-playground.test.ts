import { BackendError } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { attemptOfJobName, playgroundOf } from './daemonize-playground.js';

const host = (playground: string | null) => ({
  name: 'h',
  connection: { kind: 'localhost' as const },
  playground,
  shell: ['sh', '-c'],
  timeout: null,
});

describe('playgroundOf', () => {
  it('is <root>/<node-id>/<attempt>, the default root when the host has none', () => {
    expect(playgroundOf(host('/tmp/KT'), 'n1', 2, '/d')).toBe('/tmp/KT/n1/2');
    expect(playgroundOf(host('/tmp/KT/'), 'n1', 1, '/d')).toBe('/tmp/KT/n1/1');
    expect(playgroundOf(host(null), 'a.b:c@d+e-f', 1, '/tmp/ketrew')).toBe(
      '/tmp/ketrew/a.b:c@d+e-f/1',
    );
  });

  it('refuses node ids that would leave the root', () => {
    for (const id of ['.', '..', 'a/b']) {
      expect(() => playgroundOf(host('/tmp/KT'), id, 1, '/d')).toThrow(BackendError);
    }
  });
});

describe('attemptOfJobName', () => {
  it('reads the attempt at the end of a job name', () => {
    expect(attemptOfJobName('ketrew-n1-a1')).toBe(1);
    expect(attemptOfJobName('ketrew-node-a2-a17')).toBe(17);
    expect(attemptOfJobName('ketrew-cut-short')).toBeNull();
  });
});
