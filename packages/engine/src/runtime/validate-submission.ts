import { validateWorkflowSpec, type WorkflowSpec } from '@ketrew/edsl';
import { freezeJson } from '../core/deep-freeze.js';
import { ENGINE_ERROR_CODES, KetrewError } from '../errors.js';
import type { Backend } from '../ports/backend.js';

/** One problem of a submitted workflow, located by a JSON Pointer into the document. */
export interface SubmissionProblem {
  readonly pointer: string;
  readonly message: string;
}

/** Specs this module returned: deep-frozen, so still exactly what was validated. */
const validated = new WeakSet<WorkflowSpec>();

/**
 * Validate a submitted document with the EDSL's `validateWorkflowSpec` (wire format, duplicate
 * ids, root, edges, cycles through `dependsOn`) and against the engine's backends; returns the
 * canonical spec or throws a `KetrewError` (`invalid-workflow`, or `unknown-backend` when that is
 * the only kind of problem) whose `details.problems` lists every problem by JSON Pointer, e.g.
 * `/nodes/3/make/backend: unknown backend "slurn" (node "align"); known: daemonize, slurm`.
 *
 * The spec returned is deep-frozen (it is a fresh object: the document is not touched) and
 * remembered: given back to `validateSubmission` (a server validates, then `engine.submit`
 * validates what it receives), its wire format and graph are not checked a second time, only its
 * backends against the `backends` of that call. So a workflow costs one validation however many
 * layers check it.
 */
export function validateSubmission(
  document: unknown,
  backends: ReadonlyMap<string, Backend>,
): WorkflowSpec {
  const spec = isValidatedSpec(document) ? document : validWireSpec(document);
  const problems: SubmissionProblem[] = [];
  const unknownBackends: SubmissionProblem[] = [];
  const known = ['no-operation', ...backends.keys()].sort().join(', ');
  spec.nodes.forEach((node, index) => {
    const name = node.make.backend;
    if (name === 'no-operation') return;
    const backend = backends.get(name);
    if (backend === undefined) {
      unknownBackends.push({
        pointer: `/nodes/${index}/make/backend`,
        message: `unknown backend "${name}" (node "${node.id}"); known: ${known}`,
      });
      return;
    }
    for (const message of backend.validate?.(node.make) ?? []) {
      problems.push({ pointer: `/nodes/${index}/make`, message: `${message} (node "${node.id}")` });
    }
  });
  if (problems.length > 0 || unknownBackends.length > 0) {
    throw invalid([...unknownBackends, ...problems], problems.length === 0);
  }
  return spec;
}

/** Whether `value` is a spec `validateSubmission` returned (its wire format is checked). */
export function isValidatedSpec(value: unknown): value is WorkflowSpec {
  return typeof value === 'object' && value !== null && validated.has(value as WorkflowSpec);
}

function validWireSpec(document: unknown): WorkflowSpec {
  const validation = validateWorkflowSpec(document);
  if (!validation.ok) throw invalid(validation.errors);
  const spec = freezeJson(validation.spec);
  validated.add(spec);
  return spec;
}

function invalid(problems: readonly SubmissionProblem[], onlyUnknownBackends = false): KetrewError {
  const summary = problems
    .slice(0, 5)
    .map((p) => `${p.pointer || '/'}: ${p.message}`)
    .join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return new KetrewError(
    onlyUnknownBackends ? ENGINE_ERROR_CODES.unknownBackend : ENGINE_ERROR_CODES.invalidWorkflow,
    `invalid workflow: ${summary}${more}`,
    { details: { problems } },
  );
}
