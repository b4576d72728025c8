/** How the server gets its TLS certificate. */
export type TlsConfig =
  /** PEM files given by the user. */
  | { readonly kind: 'files'; readonly certificate: string; readonly key: string }
  /**
   * A self-signed certificate kept in `directory` (`self-signed-cert.pem`,
   * `self-signed-key.pem`), generated with `openssl` on first use and reused afterwards.
   */
  | { readonly kind: 'self-signed'; readonly directory: string };

/**
 * The server's configuration. Every field is optional; `resolveServerConfig` fills the defaults.
 *
 * @example
 * ```ts
 * const config: ServerConfig = { port: 8756, tls: { kind: 'self-signed', directory: root } };
 * ```
 */
export interface ServerConfig {
  /** Address to bind. Default `127.0.0.1` (only this machine); `0.0.0.0` for every interface. */
  readonly host?: string | undefined;
  /** Port to listen on; `0` picks a free one. Default 8756. */
  readonly port?: number | undefined;
  /** Serve HTTPS. Default: plain HTTP. */
  readonly tls?: TlsConfig | null | undefined;
  /** Refuse submit, kill and restart whatever the token's scopes. Default false. */
  readonly readOnly?: boolean | undefined;
  /** Include stack traces in error responses (debugging only). Default false. */
  readonly returnErrorStacks?: boolean | undefined;
  /** Largest request body accepted, in bytes. Default 256 MiB (a 100,000-node workflow fits). */
  readonly maxBodyBytes?: number | undefined;
  /** Interval of the SSE heartbeat comments, ms. Default 15,000. */
  readonly heartbeatIntervalMs?: number | undefined;
  /** How often the change feed is polled for live events when nothing wakes it, ms. Default 500. */
  readonly eventPollIntervalMs?: number | undefined;
  /** How long `close()` waits for in-flight requests before cutting them, ms. Default 10,000. */
  readonly shutdownTimeoutMs?: number | undefined;
  /**
   * Changes of the live-event feed older than this are deleted, hourly, by the server that runs
   * the engine (stores with `pruneChanges`); `null` keeps them forever. Default 7 days. A client
   * whose cursor is older reads on from the oldest change kept (the dashboard reloads).
   */
  readonly changeRetentionMs?: number | null | undefined;
}

export type ResolvedServerConfig = {
  readonly [K in keyof ServerConfig]-?: Exclude<ServerConfig[K], undefined>;
};

export const DEFAULT_PORT = 8756;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_CHANGE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** The configuration with every default filled in. */
export function resolveServerConfig(config: ServerConfig = {}): ResolvedServerConfig {
  return {
    host: config.host ?? DEFAULT_HOST,
    port: config.port ?? DEFAULT_PORT,
    tls: config.tls ?? null,
    readOnly: config.readOnly ?? false,
    returnErrorStacks: config.returnErrorStacks ?? false,
    maxBodyBytes: config.maxBodyBytes ?? 256 * 1024 * 1024,
    heartbeatIntervalMs: config.heartbeatIntervalMs ?? 15_000,
    eventPollIntervalMs: config.eventPollIntervalMs ?? 500,
    shutdownTimeoutMs: config.shutdownTimeoutMs ?? 10_000,
    changeRetentionMs:
      config.changeRetentionMs === undefined
        ? DEFAULT_CHANGE_RETENTION_MS
        : config.changeRetentionMs,
  };
}
