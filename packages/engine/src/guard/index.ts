export * from './guard-store.js';
export * from './guard-backend.js';
export * from './guard-transport.js';
