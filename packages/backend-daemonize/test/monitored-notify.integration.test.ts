import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgramSpec } from '@ketrew/edsl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MONITORED_FILES, renderMonitoredScript } from '../src/index.js';
import { liveGroupMembers, temporaryDirectory, waitFor } from './helpers.js';
import { killStartedGroups, runMonitored, startMonitored } from './run-monitored.js';

// The notify file (docs/monitored-script.md#the-notify-file): created, empty, once the script
// has recorded its end — success, failure or a trapped signal — and never a reason to fail.

const sh = (command: string): ProgramSpec => ({ kind: 'sh', command });

let dir: { path: string; cleanup: () => Promise<void> };
let playground: string;
let notifyDirectory: string;
beforeEach(async () => {
  dir = await temporaryDirectory();
  playground = join(dir.path, 'playground');
  notifyDirectory = join(dir.path, 'notify');
  await mkdir(playground);
  await mkdir(notifyDirectory);
});
afterEach(async () => {
  killStartedGroups();
  await dir.cleanup();
});

const notifyFile = (): string => join(notifyDirectory, 'ketrew-n1-a1');

describe('the notify file', () => {
  it('is created, empty, after a success', async () => {
    const result = await runMonitored(sh('echo hi'), playground, { notifyFile: notifyFile() });
    expect(result.log.summary).toEqual({ kind: 'succeeded' });
    expect(await readdir(notifyDirectory)).toEqual(['ketrew-n1-a1']);
    expect((await stat(notifyFile())).size).toBe(0);
  });

  it('is created after a failure, and after `exit` or `set -e` inside a command', async () => {
    for (const command of ['false', 'exit 3', 'set -e; false; echo unreachable']) {
      const file = join(notifyDirectory, `after ${command}`);
      const result = await runMonitored(sh(command), playground, { notifyFile: file });
      expect(result.log.summary.kind).toBe('failed');
      expect((await stat(file)).isFile()).toBe(true);
    }
  });

  it('is created when the script is killed by a trapped signal', async () => {
    const job = await startMonitored(sh('sleep 1000'), playground, { notifyFile: notifyFile() });
    await waitFor('the sleep to run', async () => (await liveGroupMembers(job.pid)).length >= 2);
    expect(await readdir(notifyDirectory)).toEqual([]);
    process.kill(-job.pid, 'SIGTERM');
    const result = await job.done;
    expect(result.log.summary).toEqual({ kind: 'killed', signal: 'TERM' });
    expect(await readdir(notifyDirectory)).toEqual(['ketrew-n1-a1']);
  });

  it('replaces a file already there, even under `set -C`', async () => {
    const result = await runMonitored(sh('set -C; echo x'), playground, {
      notifyFile: join(playground, MONITORED_FILES.stdout),
    });
    expect(result.log.summary).toEqual({ kind: 'succeeded' });
    expect(await readFile(join(playground, MONITORED_FILES.stdout), 'utf8')).toBe('');
  });

  it('never fails nor blocks the job when it cannot be created', async () => {
    const result = await runMonitored(sh('echo fine'), playground, {
      notifyFile: join(dir.path, 'no-such-directory', 'ketrew-n1-a1'),
    });
    expect(result.exitCode).toBe(0);
    expect(result.log.summary).toEqual({ kind: 'succeeded' });
    expect(result.err).toBe('');
  });

  it('is not created without the option, and must be an absolute path', async () => {
    await runMonitored(sh('true'), playground);
    expect(await readdir(notifyDirectory)).toEqual([]);
    expect(() =>
      renderMonitoredScript({ program: sh('true'), playground, notifyFile: 'relative/x' }),
    ).toThrow(/absolute/);
  });
});
