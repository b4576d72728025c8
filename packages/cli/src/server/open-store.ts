import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Store } from '@ketrew/engine';
import type { DatabaseLocation } from '../configuration/database-uri.js';
import { CliError } from '../errors.js';

/**
 * Open (and migrate) the store at a database location: SQLite through @ketrew/store-sqlite
 * (its directory is created), PostgreSQL through @ketrew/store-postgres (loaded only when used).
 * `onEngineLockLost` is called if a PostgreSQL store loses the engine lock it held (its
 * connection died); SQLite has no such lock.
 */
export async function openStore(
  location: Exclude<DatabaseLocation, { kind: 'backup' }>,
  options: { readonly onEngineLockLost?: ((error: Error) => void) | undefined } = {},
): Promise<Store> {
  let store: Store;
  switch (location.kind) {
    case 'sqlite': {
      mkdirSync(dirname(location.path), { recursive: true });
      const { createSqliteStore } = await import('@ketrew/store-sqlite');
      store = createSqliteStore({ path: location.path });
      break;
    }
    case 'postgresql': {
      const module = (await import('@ketrew/store-postgres')) as {
        createPostgresStore?: (options: {
          readonly connectionString: string;
          readonly onEngineLockLost?: ((error: Error) => void) | undefined;
        }) => Store;
      };
      if (module.createPostgresStore === undefined) {
        throw new CliError('configuration', 'this build of ketrew has no PostgreSQL store');
      }
      store = module.createPostgresStore({
        connectionString: location.connectionString,
        onEngineLockLost: options.onEngineLockLost,
      });
      break;
    }
    default:
      return unreachable(location);
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw new CliError('failure', `cannot open the database: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return store;
}

function unreachable(value: never): never {
  throw new Error(`unexpected database ${JSON.stringify(value)}`);
}
