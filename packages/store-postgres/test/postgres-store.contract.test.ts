import { describeStoreContract } from '@ketrew/test-kit';
import { PostgresStore, createPostgresStore } from '../src/index.js';
import { createTestDatabase, dropTestDatabase } from './test-databases.js';

describeStoreContract({
  name: 'PostgresStore',
  create: async () => createPostgresStore({ connectionString: await createTestDatabase() }),
  cleanup: async (store) => {
    if (store instanceof PostgresStore) await dropTestDatabase(store.target.database);
  },
});
