import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const run = promisify(execFile);

/** Where Debian's PostgreSQL 15 puts its programs (scripts/setup.sh installs it). */
export const DEFAULT_POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** What a test needs to reach, and to restart, a running throwaway cluster (plain data). */
export interface PostgresClusterInfo {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly connectionString: string;
  readonly host: string;
  readonly port: number;
  readonly dataDirectory: string;
  /** Commands (argv) that stop, start and restart the cluster (`pg_ctl … -w`). */
  readonly commands: {
    readonly stop: readonly string[];
    readonly start: readonly string[];
    readonly restart: readonly string[];
  };
}

/** A throwaway PostgreSQL cluster, made by `startPostgresCluster`. */
export interface PostgresCluster extends PostgresClusterInfo {
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** Restarts the server (`pg_ctl restart -m fast`): every open connection is terminated. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data directory. Idempotent. */
  stop(): Promise<void>;
}

export interface StartPostgresClusterOptions {
  /** Directory holding initdb, pg_ctl and psql. Default `$KETREW_POSTGRES_BIN` or PostgreSQL 15's. */
  readonly binDirectory?: string | undefined;
}

/**
 * Starts a throwaway PostgreSQL server for tests: `initdb` in a new temporary directory, then
 * `pg_ctl start` on a free port of 127.0.0.1 with `fsync=off` (fast; nothing survives a crash,
 * which tests do not need), trust authentication for `postgres`, the socket in /tmp. Run as
 * root (as in CI), the server runs as the `postgres` user, since initdb refuses root. Takes about
 * a second.
 *
 * Fails (never skips) when the PostgreSQL programs are missing, saying to run scripts/setup.sh.
 *
 * @example
 * const cluster = await startPostgresCluster();
 * const url = await cluster.createDatabase('my_test');
 * // … use url …
 * await cluster.stop();
 */
export async function startPostgresCluster(
  options: StartPostgresClusterOptions = {},
): Promise<PostgresCluster> {
  const bin = options.binDirectory ?? process.env['KETREW_POSTGRES_BIN'] ?? DEFAULT_POSTGRES_BIN;
  for (const program of ['initdb', 'pg_ctl', 'psql']) {
    if (!existsSync(path.join(bin, program))) {
      throw new Error(
        `PostgreSQL is not installed: ${path.join(bin, program)} is missing. ` +
          'Run scripts/setup.sh (it installs PostgreSQL 15), or set KETREW_POSTGRES_BIN to the ' +
          'directory holding initdb, pg_ctl and psql.',
      );
    }
  }
  const asUser = runAs();
  const dataDirectory = mkdtempSync(path.join(tmpdir(), 'ketrew-pg-'));
  if (asUser !== null) chownSync(dataDirectory, asUser.uid, asUser.gid);
  chmodSync(dataDirectory, 0o700);
  const command = (program: string, ...args: string[]): string[] => [
    ...(asUser === null ? [] : ['runuser', '-u', 'postgres', '--']),
    path.join(bin, program),
    ...args,
  ];
  const exec = async (argv: readonly string[]) => {
    const [file, ...args] = argv as [string, ...string[]];
    try {
      await run(file, args, { cwd: dataDirectory });
    } catch (error) {
      throw new Error(`${argv.join(' ')} failed: ${describe(error)}${logTail(dataDirectory)}`, {
        cause: error,
      });
    }
  };

  await exec(
    command(
      'initdb',
      '-D',
      dataDirectory,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ),
  );
  const port = await freePort();
  const serverOptions = [
    `-p ${port}`,
    '-k /tmp',
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
  ].join(' ');
  const log = path.join(dataDirectory, 'server.log');
  const commands = {
    start: command('pg_ctl', '-D', dataDirectory, '-l', log, '-o', serverOptions, '-w', 'start'),
    stop: command('pg_ctl', '-D', dataDirectory, '-m', 'fast', '-w', 'stop'),
    // `-l` again: without it the server would write to (and hold open) the caller's stdout.
    restart: command('pg_ctl', '-D', dataDirectory, '-l', log, '-m', 'fast', '-w', 'restart'),
  };
  await exec(commands.start);

  const host = '127.0.0.1';
  let stopped = false;
  return {
    connectionString: `postgresql://postgres@${host}:${port}/postgres`,
    host,
    port,
    dataDirectory,
    commands,
    async createDatabase(name: string) {
      const psql = command('psql', '-h', host, '-p', String(port), '-U', 'postgres');
      await exec([...psql, '-v', 'ON_ERROR_STOP=1', '-c', `create database "${name}"`]);
      return `postgresql://postgres@${host}:${port}/${name}`;
    },
    restart: () => exec(commands.restart),
    async stop() {
      if (stopped) return;
      stopped = true;
      await exec(command('pg_ctl', '-D', dataDirectory, '-m', 'immediate', '-w', 'stop')).catch(
        () => undefined,
      );
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}

/**
 * A vitest `globalSetup` module: one cluster for a package's whole test run, its
 * `PostgresClusterInfo` provided as `ketrewPostgres` (read it with `inject('ketrewPostgres')`).
 * Give each test file its own database.
 *
 * @example
 * // vitest.config.ts
 * test: { globalSetup: ['../test-kit/src/postgres-cluster.ts'] }
 */
export default async function setupPostgresCluster(project: TestProject) {
  const cluster = await startPostgresCluster();
  const { connectionString, host, port, dataDirectory, commands } = cluster;
  project.provide('ketrewPostgres', { connectionString, host, port, dataDirectory, commands });
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    ketrewPostgres: PostgresClusterInfo;
  }
}

function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('postgres:'));
    const [, , uid, gid] = line?.split(':') ?? [];
    if (uid !== undefined && gid !== undefined) return { uid: Number(uid), gid: Number(gid) };
  } catch {
    // reported below
  }
  throw new Error(
    'running as root, and initdb refuses root, but there is no `postgres` user to run ' +
      'PostgreSQL as: run scripts/setup.sh (installing PostgreSQL creates it)',
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}

function describe(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  if (typeof stderr === 'string' && stderr.trim() !== '') return stderr.trim();
  return error instanceof Error ? error.message : String(error);
}

function logTail(dataDirectory: string): string {
  try {
    const lines = readFileSync(path.join(dataDirectory, 'server.log'), 'utf8').trim().split('\n');
    return `\nserver log:\n${lines.slice(-15).join('\n')}`;
  } catch {
    return '';
  }
}
