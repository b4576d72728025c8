export * from './core/index.js';
export * from './errors.js';
export type * from './ports/store.js';
export type * from './ports/backend.js';
export type * from './ports/transport.js';
