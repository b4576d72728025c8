/** The position of a node in the `queryNodes` order: creation time, then id. */
export interface PagePosition {
  readonly createdAt: number;
  readonly id: string;
}

/**
 * Encode the position of the last node of a page as the opaque `next` cursor of `queryNodes`.
 * Stores may use this format or their own; clients must treat cursors as opaque.
 */
export function encodePageCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString(
    'base64url',
  );
}

/** Decode a cursor made by `encodePageCursor`; throws `RangeError` on anything else. */
export function decodePageCursor(cursor: string): PagePosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError(`invalid page cursor ${JSON.stringify(cursor)}`);
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'number' ||
    typeof decoded[1] !== 'string'
  ) {
    throw new RangeError(`invalid page cursor ${JSON.stringify(cursor)}`);
  }
  return { createdAt: decoded[0], id: decoded[1] };
}

/** Compare two positions in `queryNodes` order (creation time, then id by code unit). */
export function comparePagePositions(a: PagePosition, b: PagePosition): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
