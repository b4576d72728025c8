export * from './engine.js';
export type * from './engine-types.js';
export * from './engine-config.js';
export type * from './engine-events.js';
export * from './clock.js';
export * from './event-hub.js';
export * from './condition-evaluator.js';
export * from './program-to-shell.js';
export * from './validate-submission.js';
