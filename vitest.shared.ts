import { defineConfig } from 'vitest/config';

/**
 * The test configuration every package shares. Workspace packages resolve to their `src`
 * through the `@ketrew/source` export condition, so tests never need a prior build.
 */
export default defineConfig({
  resolve: { conditions: ['@ketrew/source'] },
  ssr: { resolve: { conditions: ['@ketrew/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
  },
});
