export * from './bench-report.js';
export * from './machine.js';
