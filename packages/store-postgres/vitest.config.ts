import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// One throwaway PostgreSQL for the whole run (each test file makes its own databases). Files run
// one after another: one of them restarts the server.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      globalSetup: ['../test-kit/src/postgres-cluster.ts'],
      fileParallelism: false,
    },
  }),
);
