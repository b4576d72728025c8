import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Set by bin/ketrew.js when it already registered tsx (running from source). */
const TSX_REGISTERED = Symbol.for('ketrew.cli.tsx-registered');

/*
 * Runs in the module loader's thread: maps bare specifiers (`@ketrew/edsl`) to the URL of the
 * CLI's own copy, so a workflow file imports the EDSL from anywhere, with nothing installed next
 * to it, and gets the very version the CLI validates against.
 */
const ALIAS_HOOKS = `
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
let aliases = {};
export function initialize(data) { aliases = (data && data.aliases) || {}; }
export async function resolve(specifier, context, next) {
  const url = aliases[specifier];
  if (url !== undefined) return { url, shortCircuit: true };
  // A relative import between the user's TypeScript files ('./b.js' meaning b.ts, or './b.ts'),
  // outside any package: ESM too, at any depth. Left to tsx, an imported file outside a
  // "type": "module" package is compiled to CommonJS, whose own './c.js' then fails to resolve.
  const parent = context.parentURL;
  if (
    parent !== undefined &&
    parent.startsWith('file:') &&
    !parent.includes('/node_modules/') &&
    /\\.(ts|mts|tsx)$/.test(parent) &&
    /^\\.\\.?\\//.test(specifier)
  ) {
    const path = fileURLToPath(new URL(specifier, parent));
    const typescript = /\\.(ts|mts|tsx)$/.test(path)
      ? path
      : !existsSync(path) && /\\.m?js$/.test(path)
        ? path.replace(/\\.js$/, '.ts').replace(/\\.mjs$/, '.mts')
        : undefined;
    if (typescript !== undefined && existsSync(typescript)) {
      return { url: pathToFileURL(typescript).href, format: 'module', shortCircuit: true };
    }
  }
  const resolved = await next(specifier, context);
  // A workflow file is ESM (it has an export default) even where no package.json says
  // "type": "module", e.g. alone in a temporary directory.
  if (
    resolved.url.startsWith('file:') &&
    /\\.(ts|tsx)$/.test(resolved.url) &&
    !resolved.url.includes('/node_modules/') &&
    resolved.format !== 'module'
  ) {
    return { ...resolved, format: 'module' };
  }
  return resolved;
}
`;

let ready: Promise<void> | undefined;

/**
 * Import a workflow module (`.ts`, `.mts`, `.js`, `.mjs`) without a build step: TypeScript is
 * compiled on the fly by tsx, and `@ketrew/edsl` resolves to the CLI's own copy.
 */
export async function importWorkflowModule(path: string): Promise<Record<string, unknown>> {
  ready ??= registerLoaders();
  await ready;
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

async function registerLoaders(): Promise<void> {
  const global = globalThis as Record<symbol, unknown>;
  if (global[TSX_REGISTERED] !== true) {
    const tsx = await import('tsx/esm/api');
    tsx.register();
    global[TSX_REGISTERED] = true;
  }
  // Registered after tsx, so it runs before it (hooks run last-registered first).
  register(`data:text/javascript,${encodeURIComponent(ALIAS_HOOKS)}`, {
    data: { aliases: { '@ketrew/edsl': import.meta.resolve('@ketrew/edsl') } },
  });
}
