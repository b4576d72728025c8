import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend, TransportProvider } from '@ketrew/engine';
import { CliError } from '../errors.js';

/** What a backend plugin package gets to build its backends. */
export interface BackendPluginContext {
  /** Hosts as transports (local and SSH). */
  readonly transports: TransportProvider;
}

/**
 * A plugin package exports `createBackend(context)` (or a default export doing the same)
 * returning one backend or a list of them, possibly asynchronously.
 */
export type BackendPluginFactory = (
  context: BackendPluginContext,
) => Backend | readonly Backend[] | Promise<Backend | readonly Backend[]>;

const FIRST_PARTY: readonly { readonly module: string; readonly factory: string }[] = [
  { module: '@ketrew/backend-daemonize', factory: 'createDaemonizeBackend' },
  { module: '@ketrew/backend-lsf', factory: 'createLsfBackend' },
];

/**
 * The backends of a server: the first-party ones this installation has, then each plugin
 * package of the configuration, loaded with `import()`. Two backends with one name are refused.
 */
export async function loadBackends(options: {
  readonly transports: TransportProvider;
  readonly plugins: readonly string[];
  /** Where plugin paths and packages are looked up first (the configuration's directory). */
  readonly baseDirectory?: string | undefined;
  /** How to import a module (tests). Default: `import()`. */
  readonly importModule?: ((specifier: string) => Promise<unknown>) | undefined;
}): Promise<Backend[]> {
  const importModule = options.importModule ?? ((specifier: string) => import(specifier));
  const context: BackendPluginContext = { transports: options.transports };
  const backends: Backend[] = [];
  for (const { module, factory } of FIRST_PARTY) {
    const loaded = (await importModule(module)) as Record<string, unknown>;
    const create = loaded[factory];
    if (typeof create === 'function')
      backends.push(...asList(await (create as BackendPluginFactory)(context)));
  }
  for (const plugin of options.plugins) {
    let loaded: Record<string, unknown>;
    try {
      loaded = (await importModule(pluginSpecifier(plugin, options.baseDirectory))) as Record<
        string,
        unknown
      >;
    } catch (error) {
      throw new CliError(
        'configuration',
        `cannot load the backend plugin "${plugin}": ${(error as Error).message}`,
        {
          cause: error,
          hint: 'Install it where ketrew can import it (e.g. npm install -g next to @ketrew/cli).',
        },
      );
    }
    const create = loaded['createBackend'] ?? loaded['default'];
    if (typeof create !== 'function') {
      throw new CliError(
        'configuration',
        `the backend plugin "${plugin}" exports no createBackend function`,
      );
    }
    const made = asList(await (create as BackendPluginFactory)(context));
    for (const backend of made) {
      if (typeof backend?.name !== 'string' || typeof backend.start !== 'function') {
        throw new CliError(
          'configuration',
          `the backend plugin "${plugin}" returned something that is not a Backend`,
        );
      }
    }
    backends.push(...made);
  }
  const names = new Set<string>();
  for (const backend of backends) {
    if (names.has(backend.name)) {
      throw new CliError(
        'configuration',
        `two backends are named "${backend.name}" (check server.plugins)`,
      );
    }
    names.add(backend.name);
  }
  return backends;
}

function asList(made: Backend | readonly Backend[]): Backend[] {
  return Array.isArray(made) ? [...(made as readonly Backend[])] : [made as Backend];
}

/**
 * What to import for a plugin entry: a path from the base directory; a package name as
 * resolved from the base directory when it is installed there, else the name itself (resolved
 * from the CLI's installation).
 */
export function pluginSpecifier(plugin: string, baseDirectory: string | undefined): string {
  const base = baseDirectory ?? process.cwd();
  if (plugin.startsWith('./') || plugin.startsWith('../') || isAbsolute(plugin)) {
    return pathToFileURL(resolve(base, plugin)).href;
  }
  try {
    return pathToFileURL(createRequire(join(base, 'noop.js')).resolve(plugin)).href;
  } catch {
    return plugin;
  }
}
