import { describe, expect, it } from 'vitest';
import { colourEnabled, createPalette, stripAnsi, visibleWidth } from './palette.js';

describe('colourEnabled', () => {
  it('colours a terminal only, honouring NO_COLOR, FORCE_COLOR and TERM=dumb', () => {
    expect(colourEnabled({ isTTY: true, env: {} })).toBe(true);
    expect(colourEnabled({ isTTY: false, env: {} })).toBe(false);
    expect(colourEnabled({ isTTY: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colourEnabled({ isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(colourEnabled({ isTTY: true, env: { TERM: 'dumb' } })).toBe(false);
    expect(colourEnabled({ isTTY: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(colourEnabled({ isTTY: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(colourEnabled({ isTTY: false, env: { FORCE_COLOR: '1', NO_COLOR: 'x' } })).toBe(false);
  });
});

describe('createPalette', () => {
  it('wraps text in SGR codes when enabled, and leaves it alone otherwise', () => {
    expect(createPalette(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(createPalette(false).red('x')).toBe('x');
    const coloured = createPalette(true).bold(createPalette(true).green('héllo'));
    expect(stripAnsi(coloured)).toBe('héllo');
    expect(visibleWidth(coloured)).toBe(5);
  });
});
