import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The PostgreSQL tests run with their own configuration (vitest.postgres.config.ts), which starts
// a throwaway PostgreSQL for them.
export default mergeConfig(
  shared,
  defineConfig({ test: { exclude: ['**/node_modules/**', '**/*.postgres.test.ts'] } }),
);
