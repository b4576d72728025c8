import { describe, expect, it } from 'vitest';
import { RecentSet } from './recent-set.js';

describe('RecentSet', () => {
  it('keeps the most recently added keys only', () => {
    const set = new RecentSet(2);
    set.add('a');
    set.add('b');
    set.add('a'); // refreshed: b is now the oldest
    set.add('c');
    expect([set.has('a'), set.has('b'), set.has('c'), set.size]).toEqual([true, false, true, 2]);
  });
});
