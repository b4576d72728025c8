/** Colour functions; each returns its input unchanged when colours are off. */
export interface Palette {
  readonly enabled: boolean;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly green: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly blue: (text: string) => string;
  readonly magenta: (text: string) => string;
  readonly cyan: (text: string) => string;
}

/**
 * Whether to colour: never when `NO_COLOR` is set to anything non-empty (no-color.org), always
 * when `FORCE_COLOR` is set to anything but `0`, otherwise only on a terminal that is not `dumb`.
 */
export function colourEnabled(input: {
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}): boolean {
  const noColor = input.env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  const force = input.env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return input.isTTY && input.env['TERM'] !== 'dumb';
}

export function createPalette(enabled: boolean): Palette {
  const sgr =
    (open: number, close: number) =>
    (text: string): string =>
      enabled && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
  };
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** The text without colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Columns the text takes on a terminal (colour codes take none). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}
