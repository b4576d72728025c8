import type { z } from 'zod';

/**
 * One validation problem as `path.to.key: what is wrong`, e.g.
 * `profiles.default.server.listen.port: expected number, received string`.
 */
export function describeValidationIssue(
  issue: z.core.$ZodIssue,
  prefix: readonly PropertyKey[] = [],
): string {
  const path = formatPath([...prefix, ...issue.path]);
  const where = path === '' ? '' : `${path}: `;
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `${where}unknown key${issue.keys.length === 1 ? '' : 's'} ${keys}`;
  }
  return `${where}${issue.message.replace(/^Invalid input: /, '')}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) =>
      typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}
