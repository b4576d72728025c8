import { describe, expect, it } from 'vitest';
import { monitoredFilePath, parsePidFile } from './monitored-files.js';

describe('parsePidFile', () => {
  it('reads a complete pid line', () => {
    expect(parsePidFile('4242\n')).toBe(4242);
  });

  it('answers null while the file is missing, empty or being written', () => {
    for (const content of [null, '', '42', 'abc\n', '\n']) expect(parsePidFile(content)).toBeNull();
  });

  it('refuses pids 0 and 1, which would signal unrelated processes', () => {
    expect(parsePidFile('0\n')).toBeNull();
    expect(parsePidFile('1\n')).toBeNull();
  });
});

describe('monitoredFilePath', () => {
  it('joins the playground and the file name', () => {
    expect(monitoredFilePath('/tmp/KT/n/1', 'stdout')).toBe('/tmp/KT/n/1/out');
    expect(monitoredFilePath('/tmp/KT/n/1/', 'script')).toBe('/tmp/KT/n/1/monitored_script');
  });
});
