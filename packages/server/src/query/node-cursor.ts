import { ServerError } from '../errors.js';

/**
 * The `next` cursor of GET /nodes. A store-paged query hands back the store's own cursor
 * (`s.` prefix); a post-filtered one the position of its last node in the store's order
 * (creation time, then id) (`p.` prefix). Clients treat both as opaque.
 */
export type NodeCursor =
  | { readonly kind: 'store'; readonly after: string }
  | { readonly kind: 'position'; readonly createdAt: number; readonly id: string };

export function encodeNodeCursor(cursor: NodeCursor): string {
  return cursor.kind === 'store'
    ? `s.${cursor.after}`
    : `p.${Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url')}`;
}

export function decodeNodeCursor(text: string): NodeCursor {
  if (text.startsWith('s.') && text.length > 2) return { kind: 'store', after: text.slice(2) };
  if (text.startsWith('p.')) {
    try {
      const value: unknown = JSON.parse(Buffer.from(text.slice(2), 'base64url').toString('utf8'));
      if (
        Array.isArray(value) &&
        value.length === 2 &&
        typeof value[0] === 'number' &&
        typeof value[1] === 'string'
      ) {
        return { kind: 'position', createdAt: value[0], id: value[1] };
      }
    } catch {
      // Reported below.
    }
  }
  throw invalidCursor(text);
}

export function invalidCursor(text: string): ServerError {
  return new ServerError('invalid-request', `invalid page cursor ${JSON.stringify(text)}`, {
    details: { field: 'after' },
  });
}
