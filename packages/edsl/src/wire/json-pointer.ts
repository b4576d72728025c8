/**
 * The JSON Pointer (RFC 6901) of a path into a document: `["nodes", 3, "make"]` →
 * `/nodes/3/make`; the empty path is the whole document, `""`.
 */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path
    .map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`)
    .join('');
}
