import { z } from 'zod';
import { NodeSpecSchema } from './node-spec-schema.js';
import { IdentifierSchema } from './primitive-schemas.js';

/**
 * The workflow wire format, version 1: the contract between the EDSL, the server, the CLI and
 * third-party clients. The schemas are the single source of truth: the TypeScript types, the
 * validator (`validateWorkflowSpec`) and the shipped JSON Schema (`workflow-spec.schema.json`)
 * are all derived from them. See docs/wire-format.md.
 *
 * Every object is strict (unknown fields are errors), except a plugin's build process, whose
 * parameters are free JSON. Optional fields have documented defaults, filled in by validation,
 * so the validated form is canonical.
 */
export const WORKFLOW_SPEC_VERSION = 1;

export const WorkflowSpecSchema = z.strictObject({
  version: z.literal(WORKFLOW_SPEC_VERSION),
  /** Id of the root node (activated at submission). */
  root: IdentifierSchema,
  nodes: z.array(NodeSpecSchema).min(1),
});

/** A validated, canonical workflow (every default filled in). */
export type WorkflowSpec = z.output<typeof WorkflowSpecSchema>;
/** What a client may send: optional fields may be left out. */
export type WorkflowSpecInput = z.input<typeof WorkflowSpecSchema>;

export * from './primitive-schemas.js';
export * from './host-schema.js';
export * from './program-schema.js';
export * from './condition-schema.js';
export * from './product-schema.js';
export * from './build-process-schema.js';
export * from './node-spec-schema.js';
