import { invalidArgument } from '../errors.js';

/**
 * An absolute path with repeated and trailing slashes removed (`/tmp//KT/` → `/tmp/KT`).
 * Throws `invalid-argument` naming `where` when the path is not absolute.
 */
export function normalizeAbsolutePath(path: string, where: string): string {
  if (!path.startsWith('/')) {
    invalidArgument(where, `${JSON.stringify(path)} is not an absolute path (must start with "/")`);
  }
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

/**
 * Splits the absolute path of a file into its directory and its name:
 * `/data/x.bam` → `{directory: '/data', name: 'x.bam'}`. The name must not be empty, `.` or `..`.
 */
export function splitFilePath(path: string, where: string): { directory: string; name: string } {
  if (path.endsWith('/')) {
    invalidArgument(where, `${JSON.stringify(path)} names a directory (ends with "/"), not a file`);
  }
  const normalized = normalizeAbsolutePath(path, where);
  const slash = normalized.lastIndexOf('/');
  const name = normalized.slice(slash + 1);
  if (name === '' || name === '.' || name === '..') {
    invalidArgument(where, `${JSON.stringify(path)} does not name a file`);
  }
  return { directory: slash === 0 ? '/' : normalized.slice(0, slash), name };
}
