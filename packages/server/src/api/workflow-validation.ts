import { WorkflowSpecSchema, type WorkflowSpec } from '@ketrew/edsl';
import type { Backend } from '@ketrew/engine';

/** One problem of a submitted workflow, located by a JSON Pointer into the request body. */
export interface WorkflowIssue {
  readonly pointer: string;
  readonly message: string;
}

export type WorkflowValidation =
  | { readonly ok: true; readonly spec: WorkflowSpec }
  | {
      readonly ok: false;
      readonly code: 'invalid-workflow' | 'unknown-backend';
      readonly errors: readonly WorkflowIssue[];
    };

/** Backends that need no plugin: the engine handles them itself. */
const BUILT_IN_BACKENDS = new Set(['no-operation']);

/**
 * Check a submitted workflow: the wire format (every problem, with its JSON pointer), then that
 * every node's build process names a backend this server has, and the backend's own `validate`.
 * All or nothing: any problem rejects the whole workflow.
 */
export function validateWorkflow(
  json: unknown,
  backends: ReadonlyMap<string, Backend>,
): WorkflowValidation {
  const parsed = WorkflowSpecSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'invalid-workflow',
      errors: parsed.error.issues.map((issue) => ({
        pointer: pointerOf(issue.path),
        message: issue.message,
      })),
    };
  }
  const spec = parsed.data;
  const unknown: WorkflowIssue[] = [];
  const invalid: WorkflowIssue[] = [];
  spec.nodes.forEach((node, index) => {
    const name = node.make.backend;
    if (BUILT_IN_BACKENDS.has(name)) return;
    const backend = backends.get(name);
    if (backend === undefined) {
      const known = [...BUILT_IN_BACKENDS, ...backends.keys()].sort().join(', ');
      unknown.push({
        pointer: `/nodes/${index}/make/backend`,
        message: `node "${node.id}": unknown backend "${name}" (this server has: ${known})`,
      });
      return;
    }
    for (const message of backend.validate?.(node.make) ?? []) {
      invalid.push({ pointer: `/nodes/${index}/make`, message: `node "${node.id}": ${message}` });
    }
  });
  if (unknown.length > 0)
    return { ok: false, code: 'unknown-backend', errors: [...unknown, ...invalid] };
  if (invalid.length > 0) return { ok: false, code: 'invalid-workflow', errors: invalid };
  return { ok: true, spec };
}

function pointerOf(path: readonly PropertyKey[]): string {
  return path.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
