import { BuildProcessSchema } from './build-process-schema.js';
import type { BuildProcessSpec } from './build-process-schema.js';
import type { ValidationIssue } from './validation-issue.js';
import { workflowGraphIssues } from './workflow-graph-issues.js';
import { WorkflowSpecSchema } from './workflow-spec-schema.js';
import type { WorkflowSpec } from './workflow-spec-schema.js';
import { buildProcessIssues, validationIssuesOf } from './zod-issues.js';

/** The outcome of `validateWorkflowSpec`. */
export type WorkflowSpecValidation =
  | { readonly ok: true; readonly spec: WorkflowSpec }
  | { readonly ok: false; readonly errors: readonly ValidationIssue[] };

/**
 * Checks a document against the wire format, version 1, and returns its canonical form (every
 * default filled in, the root marked `active`) or every problem found, each naming its field by JSON Pointer:
 * `{pointer: '/nodes/3/make/host/playground', message: 'must be an absolute path (start with "/")'}`.
 *
 * Beyond the schema (types, unknown fields, relative paths, bad hosts, a first-party build
 * process checked against its backend's own schema), it rejects duplicate ids, a root that is not
 * among the nodes, edges to unknown ids, and cycles through `dependsOn` (the message lists the
 * cycle's ids). Never throws.
 *
 * @example
 * const result = validateWorkflowSpec(JSON.parse(body));
 * if (!result.ok) for (const e of result.errors) console.error(`${e.pointer}: ${e.message}`);
 */
export function validateWorkflowSpec(document: unknown): WorkflowSpecValidation {
  const parsed = WorkflowSpecSchema.safeParse(document);
  const errors = [
    ...(parsed.success ? [] : validationIssuesOf(parsed.error.issues, document)),
    ...workflowGraphIssues(document),
  ];
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, spec: withActiveRoot(parsed.data) };
}

/** The canonical form marks the root active: a workflow is submitted to run its root. */
function withActiveRoot(spec: WorkflowSpec): WorkflowSpec {
  const index = spec.nodes.findIndex((node) => node.id === spec.root);
  const root = spec.nodes[index];
  if (root === undefined || root.active) return spec;
  const nodes = [...spec.nodes];
  nodes[index] = { ...root, active: true };
  return { ...spec, nodes };
}

/**
 * Checks one build process (`{backend, ...params}`) against the schema its `backend` picks: a
 * first-party backend's own schema, or the plugin form (lowercase name, free JSON parameters).
 */
export function validateBuildProcess(
  document: unknown,
):
  | { readonly ok: true; readonly make: BuildProcessSpec }
  | { readonly ok: false; readonly errors: readonly ValidationIssue[] } {
  const parsed = BuildProcessSchema.safeParse(document);
  if (parsed.success) return { ok: true, make: parsed.data };
  const errors = buildProcessIssues(document);
  return {
    ok: false,
    errors: errors.length > 0 ? errors : validationIssuesOf(parsed.error.issues, document),
  };
}
