export * from './store-contract.js';
export * from './store-contract-helpers.js';
export * from './store-fixtures.js';
export * from './backend-contract.js';
export * from './transport-contract.js';
export * from './postgres-cluster.js';
export * from './upgrade-checks.js';
