// Checks the transport suite itself against a minimal local transport written here (the real
// one lives in a backend package), wrapped in `guardTransport` for the lifecycle and paths.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { guardTransport, type RunResult, type Transport } from '@ketrew/engine';
import { describeTransportContract } from './transport-contract.js';

const HOST = {
  name: 'localhost',
  connection: { kind: 'localhost' },
  playground: null,
  shell: ['sh', '-c'],
  timeout: null,
} as const;

function minimalLocalTransport(): Transport {
  return {
    host: { ...HOST, shell: [...HOST.shell] },
    run: (command, options) =>
      new Promise<RunResult>((resolve, reject) => {
        const [file, ...args] = 'argv' in command ? command.argv : ['sh', '-c', command.shell];
        const child = spawn(file as string, args, { cwd: options?.cwd });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer =
          options?.timeoutMs === undefined
            ? undefined
            : setTimeout(() => {
                timedOut = true;
                child.kill('SIGKILL');
              }, options.timeoutMs);
        child.on('error', reject);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ exitCode: timedOut ? null : code, signal, timedOut, stdout, stderr });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(options?.stdin ?? '');
      }),
    readFile: async (path, options) => {
      const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      if (handle === null) return null;
      try {
        const content = await readFile(handle);
        const offset = options?.offset ?? 0;
        const end = options?.length === undefined ? content.length : offset + options.length;
        return content.subarray(offset, end).toString('utf8');
      } finally {
        await handle.close();
      }
    },
    writeFile: async (path, content) => {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    },
    mkdir: async (path) => {
      await mkdir(path, { recursive: true });
    },
    stat: async (path) => {
      const s = await stat(path).catch(() => null);
      if (s === null) return null;
      return {
        kind: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other',
        size: s.size,
        mtimeMs: s.mtimeMs,
      };
    },
    close: async () => undefined,
  };
}

describeTransportContract({
  name: 'minimal local transport (guarded)',
  create: async () => {
    const directory = await mkdtemp(join(tmpdir(), 'ketrew-transport-'));
    return {
      transport: guardTransport(minimalLocalTransport()),
      directory,
      cleanup: () => rm(directory, { recursive: true, force: true }),
    };
  },
});
