import { ClosedError, TransportError, type Transport } from '@ketrew/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export interface TransportContractSubject {
  readonly transport: Transport;
  /** An absolute directory on the host, existing, empty and writable, for the suite's files. */
  readonly directory: string;
  cleanup(): Promise<void>;
}

/** The cases of the suite, by name (for `skip`). */
export const TRANSPORT_CONTRACT_CASES = [
  'run-argv',
  'run-shell',
  'stdin',
  'cwd',
  'timeout',
  'write-read',
  'read-missing',
  'mkdir',
  'stat',
  'relative-path',
  'concurrent',
  'closed',
] as const;

export type TransportContractCase = (typeof TRANSPORT_CONTRACT_CASES)[number];

export interface TransportContractOptions {
  readonly name: string;
  readonly create: () => Promise<TransportContractSubject>;
  readonly skip?: readonly TransportContractCase[] | undefined;
}

/**
 * The contract every `Transport` passes (DESIGN.md §6): commands as argv or shell text with exit
 * codes, output, input and timeouts; files read (from an offset), written, made and stat-ed;
 * relative paths refused; concurrent calls; no use after `close()`.
 *
 * @example
 * describeTransportContract({
 *   name: 'local',
 *   create: async () => ({ transport: new LocalTransport(host), directory: await mkdtemp(…), cleanup }),
 * });
 */
export function describeTransportContract(options: TransportContractOptions): void {
  const skipped = new Set<string>(options.skip ?? []);
  const test = (name: TransportContractCase, title: string, body: () => Promise<void>): void => {
    it.skipIf(skipped.has(name))(`${name}: ${title}`, body, 30_000);
  };

  describe(`Transport contract: ${options.name}`, () => {
    let subject: TransportContractSubject;
    let t: Transport;
    let dir: string;
    beforeEach(async () => {
      subject = await options.create();
      t = subject.transport;
      dir = subject.directory.replace(/\/+$/, '');
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    test('run-argv', 'runs an argv without a shell', async () => {
      const result = await t.run({ argv: ['echo', 'hello  $HOME', "it's"] });
      expect(result).toEqual({
        exitCode: 0,
        signal: null,
        timedOut: false,
        stdout: "hello  $HOME it's\n",
        stderr: '',
      });
    });

    test('run-shell', 'runs shell text; a non-zero exit is a result, not an error', async () => {
      const result = await t.run({ shell: 'echo out; echo err >&2; exit 3' });
      expect(result).toMatchObject({
        exitCode: 3,
        timedOut: false,
        stdout: 'out\n',
        stderr: 'err\n',
      });
    });

    test('stdin', 'writes stdin to the command', async () => {
      const result = await t.run({ argv: ['cat'] }, { stdin: 'line 1\nline 2\n' });
      expect(result.stdout).toBe('line 1\nline 2\n');
    });

    test('cwd', 'runs in the given directory', async () => {
      const result = await t.run({ shell: 'pwd -P' }, { cwd: dir });
      const real = await t.run({ shell: `cd '${dir}' && pwd -P` });
      expect(result.stdout).toBe(real.stdout);
    });

    test('timeout', 'kills a command past its timeout', async () => {
      const result = await t.run({ argv: ['sleep', '20'] }, { timeoutMs: 300 });
      expect(result.timedOut).toBe(true);
      expect(result.exitCode).toBeNull();
    });

    test('write-read', 'writes files (making parents) and reads them from an offset', async () => {
      const path = `${dir}/a/b/c.txt`;
      await t.writeFile(path, 'hello, world');
      expect(await t.readFile(path)).toBe('hello, world');
      expect(await t.readFile(path, { offset: 7 })).toBe('world');
      expect(await t.readFile(path, { offset: 0, length: 5 })).toBe('hello');
      expect(await t.readFile(path, { offset: 100 })).toBe('');
      await t.writeFile(path, 'replaced');
      expect(await t.readFile(path)).toBe('replaced');
    });

    test('read-missing', 'reading a missing file answers null', async () => {
      expect(await t.readFile(`${dir}/missing.txt`)).toBeNull();
    });

    test('mkdir', 'makes a directory and its parents, twice without harm', async () => {
      await t.mkdir(`${dir}/x/y/z`);
      await t.mkdir(`${dir}/x/y/z`);
      expect((await t.stat(`${dir}/x/y/z`))?.kind).toBe('directory');
    });

    test('stat', 'stats files, directories and missing paths', async () => {
      await t.writeFile(`${dir}/f.txt`, '12345');
      const file = await t.stat(`${dir}/f.txt`);
      expect(file).toMatchObject({ kind: 'file', size: 5 });
      expect(typeof file?.mtimeMs).toBe('number');
      expect((await t.stat(dir))?.kind).toBe('directory');
      expect(await t.stat(`${dir}/nothing-here`)).toBeNull();
    });

    test('relative-path', 'refuses relative paths with a fatal TransportError', async () => {
      for (const call of [
        () => t.readFile('relative/file'),
        () => t.writeFile('relative/file', 'x'),
        () => t.mkdir('relative/dir'),
        () => t.stat('relative'),
      ]) {
        const error: unknown = await call().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TransportError);
        expect((error as TransportError).recoverable).toBe(false);
      }
    });

    test('concurrent', 'answers concurrent calls correctly', async () => {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2 === 0
            ? t.run({ argv: ['echo', String(i)] }).then((r) => r.stdout.trim())
            : t.writeFile(`${dir}/c${i}`, String(i)).then(() => t.readFile(`${dir}/c${i}`)),
        ),
      );
      expect(results).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    });

    test('closed', 'close is idempotent and later calls throw ClosedError', async () => {
      await t.close();
      await t.close();
      await expect(t.run({ argv: ['true'] })).rejects.toBeInstanceOf(ClosedError);
      await expect(t.stat(dir)).rejects.toBeInstanceOf(ClosedError);
    });
  });
}
