import type { z } from 'zod';
import {
  FIRST_PARTY_BUILD_PROCESS_SCHEMAS,
  PluginBuildProcessSchema,
} from './build-process-schema.js';
import { jsonPointer } from './json-pointer.js';
import type { ValidationIssue } from './validation-issue.js';

type ZodIssue = z.core.$ZodIssue;

/**
 * Turns zod's issues into issues that name the offending field by JSON Pointer, with messages a
 * user can act on: one issue per unknown field, the allowed values of a discriminator, and, for
 * a build process, the errors of the schema its `backend` names (not a vague "Invalid input").
 */
export function validationIssuesOf(
  issues: readonly ZodIssue[],
  input: unknown,
  basePath: readonly PropertyKey[] = [],
): ValidationIssue[] {
  return issues.flatMap((issue) => translate(issue, input, issue.path, basePath));
}

/** `relative` locates the issue in `root`; `base` locates `root` in the whole document. */
function translate(
  issue: ZodIssue,
  root: unknown,
  relative: readonly PropertyKey[],
  base: readonly PropertyKey[],
): ValidationIssue[] {
  const path = [...base, ...relative];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        pointer: jsonPointer([...path, key]),
        message: `unknown field "${key}"`,
      }));
    case 'invalid_union':
      return translateUnion(issue, valueAt(root, relative), path, root, relative, base);
    case 'invalid_type':
      if (valueAt(root, relative) === undefined) {
        return [{ pointer: jsonPointer(path), message: `missing (expected ${issue.expected})` }];
      }
      return [{ pointer: jsonPointer(path), message: issue.message }];
    default:
      return [{ pointer: jsonPointer(path), message: issue.message }];
  }
}

function translateUnion(
  issue: z.core.$ZodIssueInvalidUnion,
  value: unknown,
  path: PropertyKey[],
  root: unknown,
  relative: readonly PropertyKey[],
  base: readonly PropertyKey[],
): ValidationIssue[] {
  if (issue.discriminator !== undefined && 'options' in issue && issue.options !== undefined) {
    const expected = issue.options.map((o) => JSON.stringify(o)).join(', ');
    return [
      {
        pointer: jsonPointer(path),
        message:
          value === undefined
            ? `missing "${issue.discriminator}" (one of ${expected})`
            : `unknown ${issue.discriminator} ${JSON.stringify(value)} (expected one of ${expected})`,
      },
    ];
  }
  // A node's `make` (the union of build processes), in a whole workflow or in one node.
  if (path.at(-1) === 'make' && (path.length === 1 || (path.length === 3 && path[0] === 'nodes'))) {
    const picked = buildProcessIssues(value, path);
    if (picked.length > 0) return picked;
  }
  // The one alternative whose type matched and that failed deeper is the one that was meant.
  const deep = issue.errors.filter(
    (branch) => branch.length > 0 && branch.every((i) => i.path.length > 0),
  );
  if (deep.length === 1) {
    return deep[0]!.flatMap((i) => translate(i, root, [...relative, ...i.path], base));
  }
  const expectedTypes = issue.errors.map((branch) =>
    branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0
      ? branch[0].expected
      : null,
  );
  if (expectedTypes.every((t) => t !== null)) {
    const received = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    return [
      {
        pointer: jsonPointer(path),
        message: `Invalid input: expected ${expectedTypes.join(' or ')}, received ${received}`,
      },
    ];
  }
  const alternatives = issue.errors
    .map((branch) => branch.map((i) => i.message).join(', '))
    .filter((m) => m.length > 0);
  return [
    {
      pointer: jsonPointer(path),
      message: `matches none of the allowed forms (${alternatives.join('; or ')})`,
    },
  ];
}

/** The issues of a build process, checked against the schema its `backend` field picks. */
export function buildProcessIssues(value: unknown, path: PropertyKey[] = []): ValidationIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ pointer: jsonPointer(path), message: 'must be an object {backend, ...params}' }];
  }
  const backend: unknown = (value as { backend?: unknown }).backend;
  if (typeof backend !== 'string') {
    return [
      {
        pointer: jsonPointer([...path, 'backend']),
        message: 'must be a backend name (a string such as "daemonize" or "lsf")',
      },
    ];
  }
  const schema: z.ZodType = Object.hasOwn(FIRST_PARTY_BUILD_PROCESS_SCHEMAS, backend)
    ? FIRST_PARTY_BUILD_PROCESS_SCHEMAS[backend as keyof typeof FIRST_PARTY_BUILD_PROCESS_SCHEMAS]
    : PluginBuildProcessSchema;
  const result = schema.safeParse(value);
  return result.success ? [] : validationIssuesOf(result.error.issues, value, path);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
