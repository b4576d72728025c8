import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { inject } from 'vitest';

/** What the globalSetup (`@ketrew/test-kit`'s postgres-cluster) provides. */
interface PostgresClusterInfo {
  readonly connectionString: string;
  readonly host: string;
  readonly port: number;
  readonly dataDirectory: string;
  readonly commands: {
    readonly stop: readonly string[];
    readonly start: readonly string[];
    readonly restart: readonly string[];
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    ketrewPostgres: PostgresClusterInfo;
  }
}

export function cluster(): PostgresClusterInfo {
  return inject('ketrewPostgres');
}

let created = 0;

/** A new, empty database on the test cluster; returns its connection string. */
export async function createTestDatabase(): Promise<string> {
  created += 1;
  const name = `ketrew_${process.pid}_${created}`;
  await admin((client) => client.query(`create database "${name}"`));
  return cluster().connectionString.replace(/\/postgres$/, `/${name}`);
}

/** Drops a database made by `createTestDatabase`, closing its remaining connections. */
export async function dropTestDatabase(name: string): Promise<void> {
  await admin((client) => client.query(`drop database if exists "${name}" with (force)`));
}

/** Runs `work` with a connection to the cluster's `postgres` database. */
export async function admin<T>(work: (client: pg.Client) => Promise<T>, database = 'postgres') {
  const client = new pg.Client({
    connectionString: cluster().connectionString.replace(/\/postgres$/, `/${database}`),
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const run = promisify(execFile);

/** Restarts the test cluster (`pg_ctl restart -m fast`): every connection is terminated. */
export async function restartCluster(): Promise<void> {
  const [file, ...args] = cluster().commands.restart as [string, ...string[]];
  await run(file, args);
}
