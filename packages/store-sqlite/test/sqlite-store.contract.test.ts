import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeStoreContract } from '@ketrew/test-kit';
import { SqliteStore, createSqliteStore } from '../src/index.js';

describeStoreContract({
  name: 'SqliteStore',
  create: async () =>
    createSqliteStore({
      path: path.join(mkdtempSync(path.join(tmpdir(), 'ketrew-sqlite-')), 'ketrew.db'),
    }),
  cleanup: (store) => {
    if (store instanceof SqliteStore)
      rmSync(path.dirname(store.path), { recursive: true, force: true });
  },
});
