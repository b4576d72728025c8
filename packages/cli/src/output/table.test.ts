import { describe, expect, it } from 'vitest';
import { createPalette } from './palette.js';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns on their visible width, colours ignored', () => {
    const red = createPalette(true).red;
    const text = renderTable(
      [{ header: 'ID' }, { header: 'N', alignRight: true }, { header: 'WHAT' }],
      [
        ['a', '1', red('failed')],
        ['bbbb', '22', 'ok'],
      ],
    );
    expect(text.replace(/\u001b\[\d+m/g, '')).toBe(
      ['ID     N  WHAT', 'a      1  failed', 'bbbb  22  ok', ''].join('\n'),
    );
  });

  it('cuts the shrinkable column to fit the width', () => {
    const text = renderTable(
      [{ header: 'ID' }, { header: 'NAME', shrinkable: true }, { header: 'S' }],
      [['n1', 'a very long name that does not fit', 'ok']],
      { maxWidth: 24 },
    );
    const lines = text.trimEnd().split('\n');
    expect(lines[1]).toBe('n1  a very long nam…  ok');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(24);
  });
});
