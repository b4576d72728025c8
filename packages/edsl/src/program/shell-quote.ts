/**
 * Quotes a string for a POSIX shell: the result is read back as exactly one word, whatever the
 * string holds (spaces, quotes, `$`, newlines). `shellQuote("it's")` → `'it'\''s'`.
 */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
