import { describe, expect, it } from 'vitest';
import { ProcessTable } from './process-table.js';

describe('ProcessTable', () => {
  const table = new ProcessTable(
    [
      '    1     1 Ss',
      '  500   500 Ss',
      '  501   500 S',
      '  502   500 Z',
      '  600   600 Z',
      '  601   600 S+',
      '  700   699 R',
      '  800   800 Zs',
      'garbage line',
      '',
    ].join('\n'),
  );

  it('says a script runs when it exists, leads its group and is not a zombie', () => {
    expect(table.isLeaderAlive(500)).toBe(true);
    expect(table.isLeaderAlive(600)).toBe(false); // zombie leader, live child
    expect(table.isLeaderAlive(700)).toBe(false); // pid reused by a non-leader
    expect(table.isLeaderAlive(800)).toBe(false);
    expect(table.isLeaderAlive(999)).toBe(false);
  });

  it('counts the live members of a group, zombies left out', () => {
    expect(table.liveMembers(500)).toBe(2);
    expect(table.liveMembers(600)).toBe(1);
    expect(table.liveMembers(800)).toBe(0);
    expect(table.liveMembers(12345)).toBe(0);
  });
});
