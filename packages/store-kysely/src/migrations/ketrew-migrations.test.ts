import { describe, expect, it } from 'vitest';
import { KETREW_MIGRATION_NAMES, ketrewMigrations } from './ketrew-migrations.js';

describe('ketrewMigrations', () => {
  it('lists the same migrations, in order, for both dialects and in KETREW_MIGRATION_NAMES', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const names = Object.keys(ketrewMigrations(dialect));
      expect(names).toEqual([...KETREW_MIGRATION_NAMES]);
      expect(names).toEqual([...names].sort());
    }
  });
});
