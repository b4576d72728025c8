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

/** JSON with object keys sorted, so equal values have equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
