/**
 * Quote a string as one word for a POSIX shell (sh, bash, dash, zsh): the whole string between
 * single quotes, each `'` written `'\''`. Everything else (newlines, `$`, backticks, `\`,
 * unicode) is literal inside single quotes, so the shell sees exactly `value`.
 *
 * @example shellQuote("it's") // => 'it'\''s'
 */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** An argv as one shell command line, every argument quoted with {@link shellQuote}. */
export function shellQuoteArgv(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
