import { defineConfig, type Options } from 'tsup';
import base from '../../tsup.config.base.ts';

// The shared configuration, plus the `ketrew` binary as a second entry (its shebang is kept).
// Code splitting keeps what commands load with `import()` (the server, the engine, the stores)
// in chunks of their own, so `ketrew status` does not load them.
export default defineConfig({
  ...(base as Options),
  entry: ['src/index.ts', 'src/ketrew.ts'],
  dts: { entry: 'src/index.ts' },
  splitting: true,
});
