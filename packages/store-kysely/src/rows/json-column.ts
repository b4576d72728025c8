import type { Int8 } from '../schema/ketrew-database.js';

/** JSON text for a JSON column (both dialects accept text). */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value);
}

/** A JSON column as read: text (SQLite) or already parsed by the driver (`pg` and `json`). */
export function decodeJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A 64-bit integer column as read (`pg` returns `bigint` columns as strings). */
export function decodeInt(value: Int8): number {
  return typeof value === 'number' ? value : Number(value);
}

/**
 * JSON with object keys sorted and undefined fields left out, so equal values have equal text
 * whatever their key order: the same text as `canonicalJson` of @ketrew/engine (a property test
 * checks it), written to allocate less, since a submission computes it for every node.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '';
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ',';
      text += canonicalJson(value[i]);
    }
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(field)}`;
    first = false;
  }
  return `${text}}`;
}
