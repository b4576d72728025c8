import { describe, expect, it } from 'vitest';
import { PidWaits } from './pid-waits.js';

describe('PidWaits', () => {
  it('looks first at 2 ms on a machine it knows nothing of, or whose pids come fast', () => {
    const waits = new PidWaits();
    expect(waits.firstLook('local')).toBe(2);
    for (let i = 0; i < 20; i++) waits.observe('local', 1);
    expect(waits.firstLook('local')).toBe(2);
  });

  it('looks later where pids take longer, per machine, within 20 ms', () => {
    const waits = new PidWaits();
    for (let i = 0; i < 50; i++) waits.observe('busy', 8);
    expect(waits.firstLook('busy')).toBe(6);
    expect(waits.firstLook('other')).toBe(2);
    for (let i = 0; i < 50; i++) waits.observe('busy', 5_000);
    expect(waits.firstLook('busy')).toBe(20);
  });

  it('follows a machine that becomes quiet again', () => {
    const waits = new PidWaits();
    for (let i = 0; i < 50; i++) waits.observe('m', 12);
    expect(waits.firstLook('m')).toBe(9);
    for (let i = 0; i < 50; i++) waits.observe('m', 2);
    expect(waits.firstLook('m')).toBe(2);
  });
});
