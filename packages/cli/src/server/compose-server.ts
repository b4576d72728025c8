import type { Backend, Store, TransportProvider } from '@ketrew/engine';
import { Engine, TransportError } from '@ketrew/engine';
import {
  createServer,
  createTokenFileAuthenticator,
  decideEngineRole,
  waitForEngineLock,
  type KetrewServer,
  type ServerConfig,
} from '@ketrew/server';
import { createLocalTransportProvider } from '@ketrew/backend-daemonize';
import type { ServerConfiguration } from '../configuration/configuration-schema.js';
import { parseDatabaseUri } from '../configuration/database-uri.js';
import { CliError } from '../errors.js';
import { loadBackends } from './load-backends.js';
import { openStore } from './open-store.js';

/** A server composed from a profile's server part, ready to `listen()`. */
export interface ComposedServer {
  readonly server: KetrewServer;
  /**
   * The engine this process runs; `null` in API-only mode (another process holds the store's
   * engine lock), until `onPromoted` fires.
   */
  readonly engine: Engine | null;
  readonly store: Store;
  readonly backends: readonly Backend[];
  /** Called once an API-only server took over the engine (the leader went away). */
  onPromoted(listener: (engine: Engine) => void): void;
  /**
   * Called once if this process loses the engine lock it held (PostgreSQL: the lock's
   * connection died — a database restart, a network cut, `pg_terminate_backend`). Another
   * server may take the engine over at once: the listener must stop this process's engine.
   */
  onEngineLockLost(listener: (error: Error) => void): void;
  /** Close what `listen().close()` does not: backends' connections and the store. */
  release(): Promise<void>;
}

/**
 * Wire the parts of a Ketrew server together (DESIGN.md §8) from the configuration: the store
 * of `database`, the transports (local; SSH when @ketrew/backend-ssh provides one), the
 * first-party backends and the `plugins`, the engine with its knobs, the tokens file, TLS.
 */
export async function composeServer(
  config: ServerConfiguration,
  options: {
    /** Where the configuration file is: plugin paths and packages are looked up there first. */
    readonly configurationDirectory?: string | undefined;
  } = {},
): Promise<ComposedServer> {
  const location = parseDatabaseUri(config.database, { base: '/' });
  if (location.kind === 'backup')
    throw new CliError('configuration', 'server.database cannot be a backup');
  const auth = await createTokenFileAuthenticator(config.tokensFile).catch((error: unknown) => {
    throw new CliError('configuration', `tokens file: ${(error as Error).message}`, {
      cause: error,
    });
  });
  const transports = await transportProvider();
  const backends = await loadBackends({
    transports,
    plugins: config.plugins,
    baseDirectory: options.configurationDirectory,
  });
  const lockLost: ((error: Error) => void)[] = [];
  let lostWith: Error | undefined;
  const store = await openStore(location, {
    onEngineLockLost: (error) => {
      if (lostWith !== undefined) return;
      lostWith = error;
      for (const listener of lockLost) listener(error);
    },
  });
  const makeEngine = (): Engine =>
    new Engine({
      store,
      backends,
      transports,
      config: {
        core: {
          maximumSuccessiveAttempts: config.engine.maximumSuccessiveAttempts,
          turnRecoverableIntoFailure: config.engine.turnRecoverableIntoFailure,
        },
        pollIntervalMs: config.engine.pollIntervalMs,
        ...(config.engine.concurrency === null ? {} : { localHostCpus: config.engine.concurrency }),
      },
    });
  const engine = (await decideEngineRole(store)) === 'leader' ? makeEngine() : null;
  const serverConfig: ServerConfig = {
    host: config.listen.host,
    port: config.listen.port,
    tls:
      config.tls === null
        ? null
        : 'selfSigned' in config.tls
          ? { kind: 'self-signed', directory: config.tls.directory }
          : { kind: 'files', certificate: config.tls.certificate, key: config.tls.key },
    readOnly: config.readOnly,
    returnErrorStacks: config.returnErrorMessages,
    changeRetentionMs:
      config.changeRetentionDays === null ? null : config.changeRetentionDays * 86_400_000,
  };
  const server = createServer({ store, engine, backends, auth, config: serverConfig });
  const released = new AbortController();
  const promoted: ((engine: Engine) => void)[] = [];
  if (engine === null) {
    // API-only: take over the engine when the leader goes away.
    waitForEngineLock(store, { signal: released.signal }).then(
      async () => {
        const leader = makeEngine();
        await server.promote(leader);
        for (const listener of promoted) listener(leader);
      },
      () => undefined,
    );
  }
  return {
    server,
    engine,
    store,
    backends,
    onPromoted: (listener) => {
      promoted.push(listener);
    },
    onEngineLockLost: (listener) => {
      if (lostWith !== undefined) listener(lostWith);
      else lockLost.push(listener);
    },
    release: async () => {
      released.abort();
      for (const backend of backends) await backend.close?.().catch(() => undefined);
      await store.close();
    },
  };
}

/** Localhost through @ketrew/backend-daemonize; SSH hosts through @ketrew/backend-ssh. */
async function transportProvider(): Promise<TransportProvider> {
  const local = createLocalTransportProvider();
  const ssh = (await import('@ketrew/backend-ssh')) as {
    createSshTransportProvider?: () => TransportProvider;
  };
  const remote = ssh.createSshTransportProvider?.();
  return (host) => {
    if (host.connection.kind === 'localhost') return local(host);
    if (remote !== undefined) return remote(host);
    throw new TransportError(`no transport for ${host.name}: SSH hosts need @ketrew/backend-ssh`, {
      recoverable: false,
    });
  };
}
