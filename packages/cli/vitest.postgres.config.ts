import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// The CLI against PostgreSQL: one throwaway cluster (from @ketrew/test-kit) for these files
// only (`include` is replaced, not merged with the shared one).
const config = mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['../test-kit/src/postgres-cluster.ts'],
      fileParallelism: false,
      typecheck: { enabled: false },
    },
  }),
);
config.test = { ...config.test, include: ['test/**/*.postgres.test.ts'] };

export default config;
