import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isProcessAlive,
  readPidFile,
  removePidFile,
  runningServerPid,
  writePidFile,
} from './server-process.js';

const directory = mkdtempSync(join(tmpdir(), 'ketrew-cli-pid-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('pid files', () => {
  it('write, read and remove only when they still name the pid', () => {
    const file = join(directory, 'sub', 'server.pid');
    writePidFile(file, 4242);
    expect(readFileSync(file, 'utf8')).toBe('4242\n');
    expect(readPidFile(file)).toBe(4242);
    removePidFile(file, 1);
    expect(readPidFile(file)).toBe(4242);
    removePidFile(file, 4242);
    expect(readPidFile(file)).toBeNull();
  });

  it('read garbage as no pid', () => {
    const file = join(directory, 'garbage.pid');
    writeFileSync(file, 'not a pid\n');
    expect(readPidFile(file)).toBeNull();
    expect(readPidFile(join(directory, 'missing.pid'))).toBeNull();
  });

  it('trust a pid only while its process is alive', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const exitedPid = Number(child.stdout.toString());
    expect(isProcessAlive(exitedPid)).toBe(false);
    const file = join(directory, 'stale.pid');
    writePidFile(file, exitedPid);
    expect(runningServerPid(file)).toBeNull();
  });
});
