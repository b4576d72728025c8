/**
 * What a token may do. `read`: every GET of the API (and the event stream); `submit`: POST
 * /workflows; `operate`: kill and restart; `admin`: everything. Any scope includes `read`.
 */
export const SCOPES = ['read', 'submit', 'operate', 'admin'] as const;

export type Scope = (typeof SCOPES)[number];

/** Whether a token with `scopes` may do what `needed` allows. */
export function grants(scopes: readonly Scope[], needed: Scope): boolean {
  if (scopes.includes('admin')) return true;
  if (needed === 'read') return scopes.length > 0;
  return scopes.includes(needed);
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
