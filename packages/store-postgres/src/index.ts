export { createPostgresStore, PostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { ENGINE_LOCK, type EngineLockHolder } from './engine-lock.js';
export type { RetryPolicy } from './retry-policy.js';
export type { PostgresTarget } from './postgres-target.js';
