import type { WorkflowNode } from '../node/workflow-node.js';
import { toWorkflowSpec } from '../workflow/to-workflow-spec.js';
import type { ToWorkflowSpecOptions } from '../workflow/to-workflow-spec.js';
import { submitWorkflowSpec } from './submit-workflow-spec.js';
import type { SubmitOptions, SubmitResult } from './submit-workflow-spec.js';

/**
 * Submits a workflow to a Ketrew server (the original's `submit_workflow`): flattens it with
 * `toWorkflowSpec` (fresh ids, root activated, `addTags` on every node) and posts it (see
 * `submitWorkflowSpec` for the request, the result and the errors).
 *
 * @example
 * const { workflowId } = await submit(root, {
 *   url: 'http://127.0.0.1:8756',
 *   token: process.env.KETREW_TOKEN,
 *   addTags: ['nightly'],
 * });
 */
export async function submit(
  root: WorkflowNode,
  options: SubmitOptions & ToWorkflowSpecOptions,
): Promise<SubmitResult> {
  const spec = toWorkflowSpec(root, { idPrefix: options.idPrefix, addTags: options.addTags });
  return submitWorkflowSpec(spec, options);
}
