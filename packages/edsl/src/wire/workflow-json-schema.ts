import { z } from 'zod';
import {
  BuildProcessSchema,
  DaemonizeSchema,
  LsfSchema,
  NoOperationSchema,
  PbsSchema,
  PluginBuildProcessSchema,
  SlurmSchema,
} from './build-process-schema.js';
import { ConditionSchema, VolumeSchema, VolumeStructureSchema } from './condition-schema.js';
import { ConnectionSchema, HostSchema } from './host-schema.js';
import {
  FailureReasonKindSchema,
  NodeSpecSchema,
  ResourcesSchema,
  RetryPolicySchema,
} from './node-spec-schema.js';
import {
  AbsolutePathSchema,
  IdentifierSchema,
  JsonValueSchema,
  PathSegmentSchema,
} from './primitive-schemas.js';
import { ProductSchema } from './product-schema.js';
import { ProgramSchema } from './program-schema.js';
import { WORKFLOW_SPEC_VERSION, WorkflowSpecSchema } from './workflow-spec-schema.js';

/** The schema's `$id` (the file itself ships in the npm package). */
export const WORKFLOW_SPEC_JSON_SCHEMA_ID = 'urn:ketrew:workflow-spec:1';

const NAMED_DEFINITIONS: readonly [z.ZodType, string, string][] = [
  [NodeSpecSchema, 'NodeSpec', 'One node of a workflow; edges are lists of node ids.'],
  [IdentifierSchema, 'NodeId', 'A node id: letters, digits and . _ : @ + -'],
  [AbsolutePathSchema, 'AbsolutePath', 'A path starting with "/".'],
  [PathSegmentSchema, 'PathSegment', 'One file or directory name: no "/", not "." or "..".'],
  [HostSchema, 'Host', 'Where commands run and files live.'],
  [ConnectionSchema, 'Connection', 'How the engine reaches a host: localhost or SSH.'],
  [ProgramSchema, 'Program', 'Shell commands run in sequence, stopping at the first failure.'],
  [VolumeStructureSchema, 'VolumeStructure', 'A file, or a directory and its children.'],
  [VolumeSchema, 'Volume', 'Files and directories under an absolute root on a host.'],
  [ConditionSchema, 'Condition', 'When a node counts as done.'],
  [ProductSchema, 'Product', 'What a node produces, for display.'],
  [BuildProcessSchema, 'BuildProcess', 'How a node runs: {backend, ...params}.'],
  [NoOperationSchema, 'NoOperation', 'Nothing to run.'],
  [DaemonizeSchema, 'Daemonize', 'A detached process on a host.'],
  [LsfSchema, 'Lsf', 'A job submitted to LSF with bsub.'],
  [PbsSchema, 'Pbs', 'A job submitted to PBS/Torque with qsub.'],
  [SlurmSchema, 'Slurm', 'A job submitted to Slurm with sbatch.'],
  [PluginBuildProcessSchema, 'PluginBuildProcess', "A third-party backend's build process."],
  [RetryPolicySchema, 'RetryPolicy', 'When and how a failed node is tried again.'],
  [FailureReasonKindSchema, 'FailureReasonKind', 'Why a node failed.'],
  [ResourcesSchema, 'Resources', 'What a job needs (CPU cores, memory).'],
  [JsonValueSchema, 'JsonValue', 'Any JSON value.'],
];

/**
 * The JSON Schema (draft 2020-12) of what a client may send: the wire format, version 1, as an
 * input (fields with defaults are optional). Generated from the same zod schemas the validator
 * uses; `pnpm --filter @ketrew/edsl run generate-schema` writes it to
 * `packages/edsl/workflow-spec.schema.json`. Graph rules (unique ids, no dependency cycle, known
 * edge targets) are beyond JSON Schema: `validateWorkflowSpec` checks them.
 */
export function workflowSpecJsonSchema(): Record<string, unknown> {
  const registry = z.registry<{ id: string; title: string; description: string }>();
  for (const [schema, id, description] of NAMED_DEFINITIONS) {
    registry.add(schema, { id, title: id, description });
  }
  const generated = z.toJSONSchema(WorkflowSpecSchema, {
    io: 'input',
    target: 'draft-2020-12',
    metadata: registry,
    reused: 'inline',
  });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: WORKFLOW_SPEC_JSON_SCHEMA_ID,
    title: `Ketrew workflow, wire format version ${WORKFLOW_SPEC_VERSION}`,
    description:
      'A workflow submitted to a Ketrew server. See docs/wire-format.md for every field, its default and meaning.',
    ...rest,
  };
}

/** The text of `workflow-spec.schema.json`: the schema, two-space indented, one final newline. */
export function renderWorkflowSpecJsonSchema(): string {
  return `${JSON.stringify(workflowSpecJsonSchema(), null, 2)}\n`;
}
