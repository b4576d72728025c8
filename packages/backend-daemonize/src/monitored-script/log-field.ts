const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
const UNESCAPES: Readonly<Record<string, string>> = { '\\': '\\', t: '\t', n: '\n', r: '\r' };

/**
 * Escape a value for one field of the monitored log: `\` → `\\`, tab → `\t`, newline → `\n`,
 * carriage return → `\r`, so a field never contains a tab or a line break.
 */
export function escapeLogField(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c] ?? c);
}

/** The inverse of {@link escapeLogField}; an unknown escape `\x` is kept as is. */
export function unescapeLogField(field: string): string {
  return field.replace(/\\(.)/gs, (whole, c: string) => UNESCAPES[c] ?? whole);
}
