export type * from './engine-node.js';
export type * from './events.js';
export type * from './commands.js';
export type * from './failure-reason.js';
export * from './node-state.js';
export * from './core-config.js';
export * from './condition-key.js';
export * from './simple-status.js';
export * from './job-name.js';
