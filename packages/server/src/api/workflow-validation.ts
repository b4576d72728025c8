import type { WorkflowSpec } from '@ketrew/edsl';
import {
  KetrewError,
  validateSubmission,
  type Backend,
  type SubmissionProblem,
} from '@ketrew/engine';

/** One problem of a submitted workflow, located by a JSON Pointer into the request body. */
export type WorkflowIssue = SubmissionProblem;

export type WorkflowValidation =
  | { readonly ok: true; readonly spec: WorkflowSpec }
  | {
      readonly ok: false;
      readonly code: 'invalid-workflow' | 'unknown-backend';
      readonly message: string;
      readonly errors: readonly WorkflowIssue[];
    };

/**
 * Check a submitted workflow with the engine's `validateSubmission`: the EDSL's wire format, ids,
 * root, edges and cycles (every problem, by JSON pointer), then what only a server knows (each
 * node's backend against the backends given, and the backend's own `validate`), so that an
 * API-only server refuses what the leader would. The spec returned is frozen and marked as
 * validated: `engine.submit(spec)` then checks only its backends again, not the whole workflow.
 */
export function validateWorkflow(
  json: unknown,
  backends: ReadonlyMap<string, Backend>,
): WorkflowValidation {
  try {
    return { ok: true, spec: validateSubmission(json, backends) };
  } catch (error) {
    const refusal = workflowRefusal(error);
    if (refusal === null) throw error;
    return { ok: false, ...refusal };
  }
}

/** The problems of a workflow the engine refused, or `null` if `error` is something else. */
export function workflowRefusal(error: unknown): {
  readonly code: 'invalid-workflow' | 'unknown-backend';
  readonly message: string;
  readonly errors: readonly WorkflowIssue[];
} | null {
  if (
    !(error instanceof KetrewError) ||
    (error.code !== 'invalid-workflow' && error.code !== 'unknown-backend')
  ) {
    return null;
  }
  const problems = error.details['problems'];
  return {
    code: error.code,
    message: error.message,
    errors: Array.isArray(problems) ? (problems as WorkflowIssue[]) : [],
  };
}
