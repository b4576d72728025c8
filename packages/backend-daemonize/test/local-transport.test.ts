import { mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClosedError, TransportError } from '@ketrew/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTransport, createLocalTransportProvider } from '../src/index.js';
import { localHost, processState, temporaryDirectory, waitFor } from './helpers.js';

let dir: { path: string; cleanup: () => Promise<void> };
let local: LocalTransport;

beforeEach(async () => {
  dir = await temporaryDirectory();
  local = new LocalTransport({ host: localHost() });
});
afterEach(async () => {
  await local.close();
  await dir.cleanup();
});

async function expectTransportError(
  promise: Promise<unknown>,
  expected: { recoverable: boolean; message: RegExp },
): Promise<void> {
  const error: unknown = await promise.then(
    () => new Error('expected a TransportError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  expect((error as TransportError).recoverable).toBe(expected.recoverable);
  expect((error as TransportError).message).toMatch(expected.message);
}

describe('LocalTransport.run', () => {
  it('passes argv to the program untouched, without a shell', async () => {
    const arg = `it's "quoted" $HOME \`id\` ; | * \\ \n\t é 🎉`;
    const result = await local.run({ argv: ['printf', '%s', arg] });
    expect(result).toEqual({ exitCode: 0, signal: null, timedOut: false, stdout: arg, stderr: '' });
  });

  it("runs shell strings with the host's shell argv", async () => {
    const dash = await local.run({ shell: 'echo "${BASH_VERSION:-none}"' });
    expect(dash.stdout).toBe('none\n');
    const bash = new LocalTransport({ host: localHost({ shell: ['bash', '-c'] }) });
    const viaBash = await bash.run({ shell: 'echo "${BASH_VERSION:-none}"' });
    expect(viaBash.stdout).not.toBe('none\n');
    expect(viaBash.stdout).toMatch(/^\d+\./);
  });

  it('reports a non-zero exit and stderr without throwing', async () => {
    const result = await local.run({ shell: 'echo oops >&2; exit 3' });
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false, stderr: 'oops\n' });
  });

  it('reports a command killed by a signal', async () => {
    const result = await local.run({ shell: 'kill -TERM $$' });
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: false });
  });

  it('writes stdin then closes it', async () => {
    const input = 'line 1\nligne 2 é\n'.repeat(10_000);
    const result = await local.run({ argv: ['cat'] }, { stdin: input });
    expect(result.stdout).toBe(input);
  });

  it('runs in the given working directory', async () => {
    const result = await local.run({ argv: ['pwd'] }, { cwd: dir.path });
    expect(result.stdout).toBe(`${dir.path}\n`);
  });

  it('refuses a relative or missing working directory', async () => {
    await expectTransportError(local.run({ argv: ['pwd'] }, { cwd: 'tmp' }), {
      recoverable: false,
      message: /absolute/,
    });
    await expectTransportError(local.run({ argv: ['pwd'] }, { cwd: join(dir.path, 'nope') }), {
      recoverable: false,
      message: /nope/,
    });
  });

  it('answers 127 for a program that does not exist, like a shell', async () => {
    const result = await local.run({ argv: ['ketrew-no-such-program-xyz', 'a'] });
    expect(result.exitCode).toBe(127);
    expect(result.stderr).toMatch(/ketrew-no-such-program-xyz: command not found/);
    const viaShell = await local.run({ shell: 'ketrew-no-such-program-xyz' });
    expect(viaShell.exitCode).toBe(127);
  });

  it('answers 126 for a file that is not executable', async () => {
    const path = join(dir.path, 'not-executable');
    await writeFile(path, 'echo hi\n', { mode: 0o644 });
    const result = await local.run({ argv: [path] });
    expect(result.exitCode).toBe(126);
  });

  it('on timeout kills the whole process group and says so', async () => {
    const result = await local.run(
      { shell: 'sleep 1000 & echo $!; sleep 1000' },
      { timeoutMs: 500 },
    );
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    const child = Number(result.stdout.trim());
    expect(child).toBeGreaterThan(1);
    await waitFor(
      'the background child to die',
      async () => (await processState(child)) !== 'alive',
    );
  });

  it("uses the host's timeout by default", async () => {
    const slow = new LocalTransport({ host: localHost({ timeout: 0.3 }) });
    const result = await slow.run({ argv: ['sleep', '1000'] });
    expect(result.timedOut).toBe(true);
  });

  it('does not wait for a process that left the group and kept the pipes open', async () => {
    const result = await local.run({ shell: 'setsid sleep 1000 & echo $!' }, { timeoutMs: 500 });
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    const escaped = Number(result.stdout.trim());
    expect(await processState(escaped)).toBe('alive');
    process.kill(escaped, 'SIGKILL');
  });
});

describe('LocalTransport files', () => {
  it('reads a file, or null when it does not exist', async () => {
    const path = join(dir.path, 'f.txt');
    expect(await local.readFile(path)).toBeNull();
    expect(await local.readFile(join(dir.path, 'missing-dir', 'f'))).toBeNull();
    await writeFile(path, 'hello wörld');
    expect(await local.readFile(path)).toBe('hello wörld');
  });

  it('reads whole files larger than one read, multi-byte characters across reads intact', async () => {
    const path = join(dir.path, 'big.txt');
    // 4,000 bytes is the first read, 32,000 the next: 4-byte characters across both, then more.
    const text = `${'a'.repeat(3_998)}🎉${'b'.repeat(31_998)}🎉${'é'.repeat(200_000)}end`;
    await writeFile(path, text);
    expect(await local.readFile(path)).toBe(text);
    await writeFile(path, '');
    expect(await local.readFile(path)).toBe('');
    await writeFile(path, 'x'.repeat(4_000));
    expect(await local.readFile(path)).toBe('x'.repeat(4_000));
  });

  it('reads a byte range, never ending inside a UTF-8 character', async () => {
    const path = join(dir.path, 'f.txt');
    await writeFile(path, 'abcdé🎉z'); // é = 2 bytes (4-5), 🎉 = 4 bytes (6-9)
    expect(await local.readFile(path, { offset: 1, length: 2 })).toBe('bc');
    expect(await local.readFile(path, { offset: 3 })).toBe('dé🎉z');
    expect(await local.readFile(path, { offset: 0, length: 5 })).toBe('abcd');
    expect(await local.readFile(path, { offset: 4, length: 5 })).toBe('é');
    expect(await local.readFile(path, { offset: 4, length: 6 })).toBe('é🎉');
    expect(await local.readFile(path, { offset: 100 })).toBe('');
    expect(await local.readFile(path, { length: 0 })).toBe('');
  });

  it('reads from offset 0 without a length as a range: whole, cut before an incomplete character', async () => {
    const path = join(dir.path, 'f.txt');
    const cut = Buffer.from('abcdé🎉', 'utf8').subarray(0, 8); // ends 2 bytes into 🎉
    await writeFile(path, cut);
    expect(await local.readFile(path, { offset: 0 })).toBe('abcdé');
    expect(await local.readFile(path)).toBe('abcdé\uFFFD');
    const big = `${'a'.repeat(3_998)}🎉${'é'.repeat(20_000)}end`;
    await writeFile(path, big);
    expect(await local.readFile(path, { offset: 0 })).toBe(big);
    await writeFile(path, '');
    expect(await local.readFile(path, { offset: 0 })).toBe('');
    await rm(path);
    expect(await local.readFile(path, { offset: 0 })).toBeNull();
  });

  it('writes a file, creating its parents, with a mode', async () => {
    const path = join(dir.path, 'a', 'b', 'c', 'script');
    await local.writeFile(path, 'echo hi\n', { mode: 0o755 });
    expect(await readFile(path, 'utf8')).toBe('echo hi\n');
    expect((await stat(path)).mode & 0o777).toBe(0o755);
    await local.writeFile(path, 'replaced');
    expect(await readFile(path, 'utf8')).toBe('replaced');
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    const big = 'é'.repeat(300_000);
    await local.writeFile(path, big, { mode: 0o700 });
    expect(await readFile(path, 'utf8')).toBe(big);
    expect((await stat(path)).mode & 0o777).toBe(0o700);
  });

  it('writes the exact mode whatever the umask', async () => {
    const path = join(dir.path, 'script');
    const before = process.umask(0o077);
    try {
      await local.writeFile(path, 'echo hi\n', { mode: 0o755 });
    } finally {
      process.umask(before);
    }
    expect((await stat(path)).mode & 0o777).toBe(0o755);
  });

  it('makes a new directory (and its parents), or says something is there already', async () => {
    const path = join(dir.path, 'p', 'q', 'r');
    expect(await local.makeNewDirectory(path)).toBe('created');
    expect((await stat(path)).isDirectory()).toBe(true);
    expect(await local.makeNewDirectory(path)).toBe('exists');
    const file = join(dir.path, 'file');
    await writeFile(file, '');
    expect(await local.makeNewDirectory(file)).toBe('exists');
    await expectTransportError(local.makeNewDirectory(join(file, 'sub')), {
      recoverable: false,
      message: new RegExp(`create directory ${file}/sub`),
    });
  });

  it('creates directories like mkdir -p, and accepts existing ones', async () => {
    const path = join(dir.path, 'x', 'y', 'z');
    await local.mkdir(path);
    await local.mkdir(path);
    expect((await stat(path)).isDirectory()).toBe(true);
  });

  it('fails clearly, naming the path, when a directory cannot be created', async () => {
    const file = join(dir.path, 'file');
    await writeFile(file, '');
    await expectTransportError(local.mkdir(join(file, 'sub', 'dir')), {
      recoverable: false,
      message: new RegExp(`${file}/sub`),
    });
    await expectTransportError(local.mkdir(file), { recoverable: false, message: /file/ });
    await expectTransportError(local.mkdir('/proc/ketrew-test/x'), {
      recoverable: false,
      message: /\/proc\/ketrew-test/,
    });
  });

  it('stats files, directories and links, or null', async () => {
    const path = join(dir.path, 'f');
    await writeFile(path, '12345');
    await symlink(path, join(dir.path, 'link'));
    await mkdir(join(dir.path, 'd'));
    expect(await local.stat(path)).toMatchObject({ kind: 'file', size: 5 });
    expect(await local.stat(join(dir.path, 'link'))).toMatchObject({ kind: 'file', size: 5 });
    expect(await local.stat(join(dir.path, 'd'))).toMatchObject({ kind: 'directory' });
    expect(await local.stat('/dev/null')).toMatchObject({ kind: 'other' });
    expect(await local.stat(join(dir.path, 'missing'))).toBeNull();
    const mtime = (await local.stat(path))?.mtimeMs ?? 0;
    expect(Math.abs(mtime - (await stat(path)).mtimeMs)).toBeLessThan(1);
  });

  it('refuses relative paths with a fatal error', async () => {
    const relative = { recoverable: false, message: /absolute/ };
    await expectTransportError(local.readFile('f'), relative);
    await expectTransportError(local.writeFile('a/f', ''), relative);
    await expectTransportError(local.mkdir('./d'), relative);
    await expectTransportError(local.stat('../x'), relative);
  });
});

describe('LocalTransport lifecycle and provider', () => {
  it('throws ClosedError after close; close twice is harmless', async () => {
    await local.close();
    await local.close();
    await expect(local.run({ argv: ['true'] })).rejects.toBeInstanceOf(ClosedError);
    await expect(local.readFile('/etc/hostname')).rejects.toBeInstanceOf(ClosedError);
  });

  it('gives a transport per localhost host and refuses other connections', () => {
    const provide = createLocalTransportProvider();
    const host = localHost({ name: '/tmp/KT', playground: '/tmp/KT' });
    expect(provide(host).host).toBe(host);
    expect(() =>
      provide(
        localHost({
          name: 'ssh://x',
          connection: { kind: 'ssh', address: 'x', port: null, user: null, sshOptions: [] },
        }),
      ),
    ).toThrow(TransportError);
  });

  it('adds the configured environment variables', async () => {
    const provide = createLocalTransportProvider({ env: { KETREW_TEST_VAR: 'v a l' } });
    const result = await provide(localHost()).run({ shell: 'printf %s "$KETREW_TEST_VAR"' });
    expect(result.stdout).toBe('v a l');
  });
});
