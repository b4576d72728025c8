/** Where a keyset page starts: after this (created_at, id). */
export interface PagePosition {
  readonly createdAt: number;
  readonly id: string;
}

/** The opaque `next` cursor of a page (the format MemoryStore uses too). */
export function encodePageCursor(position: PagePosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

/** Reads a cursor made by `encodePageCursor`; anything else is a `RangeError`. */
export function decodePageCursor(cursor: string): PagePosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    typeof value[1] === 'string'
  ) {
    return { createdAt: value[0] as number, id: value[1] };
  }
  throw new RangeError(`invalid page cursor ${JSON.stringify(cursor)}`);
}
