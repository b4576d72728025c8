import { defineConfig } from 'tsup';

/** The one bundler configuration every package shares: ESM only, typed, one entry. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: true,
  sourcemap: true,
  clean: true,
  splitting: false,
});
