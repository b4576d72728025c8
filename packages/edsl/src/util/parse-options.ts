import type { z } from 'zod';
import { invalidArgument } from '../errors.js';
import { validationIssuesOf } from '../wire/zod-issues.js';
import { trusted } from './trusted.js';

/**
 * Parses a builder's value with its wire schema (filling defaults), or throws `invalid-argument`
 * naming `where` and each bad field: `lsf: wallLimit: Invalid input: expected string, ...`.
 */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) {
    const data: unknown = result.data;
    // zod returns fresh objects, so freezing them freezes nothing of the caller's.
    return (typeof data === 'object' && data !== null ? trusted(data) : data) as z.output<S>;
  }
  const problems = validationIssuesOf(result.error.issues, value).map(
    (issue) => `${issue.pointer.slice(1).replaceAll('/', '.') || '(value)'}: ${issue.message}`,
  );
  return invalidArgument(where, problems.join('; '));
}
