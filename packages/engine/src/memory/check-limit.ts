/** Throws a `RangeError` unless `limit` is an integer from 1 to `max`. */
export function checkLimit(what: string, limit: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new RangeError(`${what} must be an integer from 1 to ${max}, got ${limit}`);
  }
}
