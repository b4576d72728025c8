import { WorkflowSpecSchema, type WorkflowSpec } from '@ketrew/edsl';
import { detectCycle } from '../core/detect-cycle.js';
import { ENGINE_ERROR_CODES, KetrewError } from '../errors.js';
import type { Backend } from '../ports/backend.js';

/** One problem of a submitted workflow, located by a JSON Pointer into the document. */
export interface SubmissionProblem {
  readonly pointer: string;
  readonly message: string;
}

/**
 * Validate a submitted document against the wire format and the engine's backends; returns the
 * canonical spec or throws a `KetrewError` (`invalid-workflow`, or `unknown-backend` when that is
 * the only kind of problem) whose `details.problems` lists every problem by JSON Pointer, e.g.
 * `/nodes/3/make/backend: unknown backend "slurn" (node "align"); known: daemonize, slurm`.
 */
export function validateSubmission(
  document: unknown,
  backends: ReadonlyMap<string, Backend>,
): WorkflowSpec {
  const parsed = WorkflowSpecSchema.safeParse(document);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map((issue) => ({
        pointer: pointerOf(issue.path),
        message: issue.message,
      })),
    );
  }
  const spec = parsed.data;
  const problems: SubmissionProblem[] = [...graphProblems(spec)];
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

function graphProblems(spec: WorkflowSpec): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [];
  const index = new Map<string, number>();
  spec.nodes.forEach((node, i) => {
    if (index.has(node.id)) {
      problems.push({ pointer: `/nodes/${i}/id`, message: `duplicate id "${node.id}"` });
    } else {
      index.set(node.id, i);
    }
  });
  if (!index.has(spec.root)) {
    problems.push({ pointer: '/root', message: `root "${spec.root}" is not the id of any node` });
  }
  spec.nodes.forEach((node, i) => {
    for (const field of ['dependsOn', 'onSuccessActivate', 'onFailureActivate'] as const) {
      node[field].forEach((target, j) => {
        if (!index.has(target)) {
          problems.push({
            pointer: `/nodes/${i}/${field}/${j}`,
            message: `"${target}" is not the id of any node of this workflow`,
          });
        }
      });
    }
  });
  const cycle = detectCycle(spec.nodes);
  if (cycle !== null) {
    problems.push({
      pointer: `/nodes/${index.get(cycle[0] as string) ?? 0}/dependsOn`,
      message: `cycle through dependsOn: ${[...cycle, cycle[0]].join(' → ')}`,
    });
  }
  return problems;
}

function invalid(problems: readonly SubmissionProblem[], onlyUnknownBackends = false): KetrewError {
  const summary = problems
    .slice(0, 5)
    .map((p) => `${p.pointer}: ${p.message}`)
    .join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return new KetrewError(
    onlyUnknownBackends ? ENGINE_ERROR_CODES.unknownBackend : ENGINE_ERROR_CODES.invalidWorkflow,
    `invalid workflow: ${summary}${more}`,
    { details: { problems } },
  );
}

function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
