export * from './store-contract.js';
export * from './store-contract-helpers.js';
export * from './store-fixtures.js';
