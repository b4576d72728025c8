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
let aliases = {};
export function initialize(data) { aliases = (data && data.aliases) || {}; }
export async function resolve(specifier, context, next) {
  const url = aliases[specifier];
  if (url !== undefined) return { url, shortCircuit: true };
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
