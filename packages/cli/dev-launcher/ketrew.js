#!/usr/bin/env node
// Development only: `pnpm ketrew …` at the repository root runs this, which runs the real binary.
await import('../bin/ketrew.js');
