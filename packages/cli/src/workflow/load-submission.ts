import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import {
  daemonize,
  Host,
  Program,
  toWorkflowSpec,
  validateWorkflowSpec,
  withoutProduct,
  workflowNode,
  workflowToString,
  type WorkflowNode,
  type WorkflowSpec,
} from '@ketrew/edsl';
import { CliError } from '../errors.js';
import type { Palette } from '../output/palette.js';
import { renderWorkflowTree } from './workflow-tree.js';
import { splitDaemonizeOption } from './daemonize-option.js';
import { importWorkflowModule } from './workflow-module-loader.js';

/** What `submit` was asked to submit. */
export type SubmissionSource =
  | { readonly kind: 'daemonize'; readonly option: string }
  | { readonly kind: 'file'; readonly path: string };

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.tsx'];

/** A workflow ready to submit, and how to print it as a tree. */
export interface Submission {
  readonly spec: WorkflowSpec;
  /** The workflow node, when the submission was made with the EDSL (`null` for JSON). */
  readonly root: WorkflowNode | null;
}

/**
 * Build the validated wire-format workflow of a submission, with `tags` added to every node:
 * a one-node workflow from `--daemonize HOST,CMD`, the default export of a TypeScript/JavaScript
 * module (a workflow node, or a function returning one), or a JSON `WorkflowSpec`. Throws a
 * `CliError` (`usage` or `invalidWorkflow`) naming what is wrong; nothing is sent anywhere.
 */
export async function loadSubmission(
  source: SubmissionSource,
  options: { readonly tags: readonly string[]; readonly cwd: string },
): Promise<Submission> {
  if (source.kind === 'daemonize') {
    const { host, command } = splitDaemonizeOption(source.option);
    const node = edsl(`--daemonize`, 'usage', () =>
      workflowNode(withoutProduct(), {
        name: command,
        make: daemonize(Program.sh(command), { host: Host.parse(host) }),
      }),
    );
    const spec = edsl('--daemonize', 'usage', () =>
      toWorkflowSpec(node, { addTags: options.tags }),
    );
    return { spec, root: node };
  }
  const path = resolve(options.cwd, source.path);
  const extension = extname(path).toLowerCase();
  if (extension === '.json') return { spec: loadJson(path, options.tags), root: null };
  if (!MODULE_EXTENSIONS.includes(extension)) {
    throw new CliError('usage', `${source.path}: expected a .ts, .js or .json workflow file`);
  }
  let module: Record<string, unknown>;
  try {
    module = await importWorkflowModule(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(path)) {
      throw new CliError('usage', `${source.path}: no such file`);
    }
    throw new CliError(
      'invalidWorkflow',
      `cannot load ${source.path}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let root: unknown = module['default'];
  if (typeof root === 'function') {
    root = await edsl(source.path, 'invalidWorkflow', async () => (root as () => unknown)());
  }
  if (!isWorkflowNode(root)) {
    throw new CliError(
      'invalidWorkflow',
      `${source.path}: the default export must be a workflow node (made with workflowNode) or a function returning one, got ${describe(root)}`,
    );
  }
  const node = root;
  const spec = edsl(source.path, 'invalidWorkflow', () =>
    toWorkflowSpec(node, { addTags: options.tags }),
  );
  return { spec, root: node };
}

/** The dry-run tree: the EDSL's `workflowToString` for a node, the same format for JSON. */
export function submissionTree(submission: Submission, palette: Palette): string {
  return submission.root === null
    ? renderWorkflowTree(submission.spec, palette)
    : workflowToString(submission.root, { ansiColors: palette.enabled }).trimEnd();
}

function loadJson(path: string, tags: readonly string[]): WorkflowSpec {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new CliError('usage', `${path}: no such file`);
    throw new CliError('invalidWorkflow', `${path}: not valid JSON (${(error as Error).message})`);
  }
  const result = validateWorkflowSpec(withTags(document, tags));
  if (result.ok) return result.spec;
  const [first] = result.errors;
  throw new CliError(
    'invalidWorkflow',
    [
      `${path} is not a valid workflow: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}`,
      ...result.errors.map((e) => `  ${e.pointer || '(document)'}: ${e.message}`),
    ].join('\n'),
    {
      hint:
        first === undefined ? undefined : 'The wire format is described in docs/wire-format.md.',
    },
  );
}

/** The document with `tags` added to every node (left alone when it has no node list). */
function withTags(document: unknown, tags: readonly string[]): unknown {
  if (tags.length === 0 || typeof document !== 'object' || document === null) return document;
  const nodes = (document as { nodes?: unknown }).nodes;
  if (!Array.isArray(nodes)) return document;
  return {
    ...document,
    nodes: nodes.map((node: unknown) => {
      if (typeof node !== 'object' || node === null) return node;
      const own = (node as { tags?: unknown }).tags;
      const existing = Array.isArray(own) ? (own as unknown[]) : [];
      return { ...node, tags: [...new Set([...existing, ...tags])] };
    }),
  };
}

/** Nodes are plain frozen objects (no class), so recognise one by its shape. */
function isWorkflowNode(value: unknown): value is WorkflowNode {
  if (typeof value !== 'object' || value === null) return false;
  const node = value as Partial<WorkflowNode>;
  return (
    typeof node.id === 'string' &&
    Array.isArray(node.edges) &&
    typeof node.make === 'object' &&
    typeof node.product === 'object'
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (no default export)';
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** Run EDSL code, turning its errors (invalid argument, host URI, workflow) into CLI errors. */
function edsl<T>(where: string, kind: 'usage' | 'invalidWorkflow', action: () => T): T {
  try {
    const result = action();
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        throw asCliError(where, kind, error);
      }) as T;
    }
    return result;
  } catch (error) {
    throw asCliError(where, kind, error);
  }
}

function asCliError(where: string, kind: 'usage' | 'invalidWorkflow', error: unknown): CliError {
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const ours = typeof code === 'string';
  return new CliError(kind, ours ? `${where}: ${message}` : `${where} failed: ${message}`, {
    cause: error,
  });
}
