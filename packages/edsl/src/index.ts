/**
 * @ketrew/edsl: define Ketrew workflows in TypeScript, and the wire format they travel in.
 * Users import everything from the package root. See docs/edsl.md and docs/wire-format.md.
 */

// The wire format: zod schemas, their types, validation, JSON Schema.
export * from './wire/workflow-spec-schema.js';
export { validateWorkflowSpec, validateBuildProcess } from './wire/validate-workflow-spec.js';
export type { WorkflowSpecValidation } from './wire/validate-workflow-spec.js';
export type { ValidationIssue } from './wire/validation-issue.js';
export { jsonPointer } from './wire/json-pointer.js';
export {
  workflowSpecJsonSchema,
  renderWorkflowSpecJsonSchema,
  WORKFLOW_SPEC_JSON_SCHEMA_ID,
} from './wire/workflow-json-schema.js';

// Errors.
export {
  EDSL_ERROR_CODES,
  EdslError,
  HostUriError,
  SubmitError,
  WorkflowValidationError,
} from './errors.js';
export type { EdslErrorCode, ServerErrorBody } from './errors.js';

// Hosts, programs, volumes, conditions (plain data; these names are both a type and builders).
export { Host } from './host/host.js';
export type { HostOptions, SshHostOptions } from './host/host.js';
export { Program } from './program/program.js';
export { shellQuote } from './program/shell-quote.js';
export type { ShellFormatArguments } from './program/shell-format.js';
export { Volume } from './condition/volume.js';
export type { VolumeOptions } from './condition/volume.js';
export { Condition } from './condition/condition.js';

// Products.
export type { Product } from './product/product.js';
export { productSpecOf } from './product/product.js';
export { withoutProduct } from './product/without-product.js';
export type { WithoutProduct } from './product/without-product.js';
export { singleFile } from './product/single-file.js';
export type { SingleFile, FileProductOptions } from './product/single-file.js';
export { listOfFiles } from './product/list-of-files.js';
export type { ListOfFiles } from './product/list-of-files.js';

// Build processes.
export { noOperation } from './build-process/no-operation.js';
export { daemonize } from './build-process/daemonize.js';
export type { DaemonizeOptions } from './build-process/daemonize.js';
export { lsf } from './build-process/lsf.js';
export type { LsfOptions } from './build-process/lsf.js';
export { pbs } from './build-process/pbs.js';
export type { PbsOptions } from './build-process/pbs.js';
export { slurm } from './build-process/slurm.js';
export type { SlurmOptions } from './build-process/slurm.js';
export { buildProcess } from './build-process/plugin-build-process.js';
export type { PluginBuildProcess, PluginParameters } from './build-process/plugin-build-process.js';

// Nodes and edges.
export { workflowNode } from './node/workflow-node.js';
export type {
  WorkflowNode,
  WorkflowNodeOptions,
  Ensures,
  RetryOptions,
} from './node/workflow-node.js';
export { dependsOn, onSuccessActivate, onFailureActivate } from './node/workflow-edge.js';
export type { WorkflowEdge } from './node/workflow-edge.js';

// Whole workflows.
export { toWorkflowSpec } from './workflow/to-workflow-spec.js';
export type { ToWorkflowSpecOptions } from './workflow/to-workflow-spec.js';
export { newNodeIdPrefix } from './workflow/node-id-prefix.js';
export { walkWorkflow } from './workflow/walk-workflow.js';
export { workflowToString } from './workflow/workflow-to-string.js';
export type { WorkflowToStringOptions } from './workflow/workflow-to-string.js';
export { submit } from './submit/submit.js';
export { submitWorkflowSpec, workflowsEndpoint } from './submit/submit-workflow-spec.js';
export type { SubmitOptions, SubmitResult } from './submit/submit-workflow-spec.js';
