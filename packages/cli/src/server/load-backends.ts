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
  /** How to import a package (tests). Default: `import()`. */
  readonly importModule?: ((name: string) => Promise<unknown>) | undefined;
}): Promise<Backend[]> {
  const importModule = options.importModule ?? ((name: string) => import(name));
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
      loaded = (await importModule(plugin)) as Record<string, unknown>;
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
