export * from './core/index.js';
export * from './errors.js';
export type * from './ports/store.js';
export type * from './ports/backend.js';
export type * from './ports/transport.js';
export * from './memory/memory-store.js';
export * from './memory/node-filter-match.js';
export * from './memory/page-cursor.js';
