export * from './wire/workflow-spec-schema.js';
