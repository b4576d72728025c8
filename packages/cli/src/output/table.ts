import { stripAnsi, visibleWidth } from './palette.js';

export interface TableColumn {
  readonly header: string;
  /** Right-align (numbers). */
  readonly alignRight?: boolean | undefined;
  /** This column gives up width when the table is wider than `maxWidth`. */
  readonly shrinkable?: boolean | undefined;
}

/**
 * A plain-text table: a header line, then one line per row, columns separated by two spaces.
 * With `maxWidth`, the shrinkable column is cut (ending with `…`) so that lines fit.
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: {
    readonly maxWidth?: number | undefined;
    readonly header?: (text: string) => string;
  } = {},
): string {
  const widths = columns.map((column, i) =>
    Math.max(visibleWidth(column.header), ...rows.map((row) => visibleWidth(row[i] ?? ''))),
  );
  const gap = 2;
  const total = widths.reduce((sum, w) => sum + w, 0) + gap * (columns.length - 1);
  const shrink = columns.findIndex((column) => column.shrinkable === true);
  if (options.maxWidth !== undefined && shrink >= 0 && total > options.maxWidth) {
    widths[shrink] = Math.max(8, (widths[shrink] ?? 0) - (total - options.maxWidth));
  }
  const line = (cells: readonly string[], style?: (text: string) => string): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        const fitted = visibleWidth(cell) > width ? cut(cell, width) : cell;
        const padding = ' '.repeat(Math.max(0, width - visibleWidth(fitted)));
        const last = i === cells.length - 1;
        const styled = style === undefined ? fitted : style(fitted);
        if (columns[i]?.alignRight === true) return padding + styled;
        return last ? styled : styled + padding;
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      options.header,
    ),
    ...rows.map((row) => line(row)),
  ]
    .join('\n')
    .concat('\n');
}

function cut(text: string, width: number): string {
  const plain = [...stripAnsi(text)];
  return `${plain.slice(0, Math.max(0, width - 1)).join('')}…`;
}
