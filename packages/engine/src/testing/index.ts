export * from './fake-cluster.js';
export * from './fake-backend.js';
export * from './fake-transport.js';
export * from './virtual-time.js';
export * from './simulated-crash.js';
