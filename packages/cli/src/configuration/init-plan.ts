import { isAbsolute, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { DEFAULT_PORT, type ConfigurationFileInput } from './configuration-schema.js';
import { parseDatabaseUri } from './database-uri.js';

type ProfileInput = ConfigurationFileInput['profiles'][string];

export interface InitOptions {
  readonly port: number;
  readonly host: string;
  readonly database?: string | undefined;
  /** `--tls CERT,KEY`. */
  readonly tls?: string | undefined;
  readonly selfSignedTls: boolean;
  /** `--just-client URL`: a client-only profile from a server or dashboard URL. */
  readonly justClient?: string | undefined;
  /** Where relative paths typed on the command line are taken from. */
  readonly cwd: string;
}

/** What `init` writes for one profile; `token` is filled in once the token exists. */
export interface InitPlan {
  readonly kind: 'server-and-client' | 'client-only';
  readonly profile: (token: string | null) => ProfileInput;
  /** The token the client part will use, when the URL gave one (`--just-client …?token=T`). */
  readonly givenToken: string | null;
}

/**
 * The profile `ketrew init` writes: a server part (listen, database, tokens, TLS) and a client
 * part that reaches it, so every later command works without flags; or, with `--just-client`,
 * a client part only. Pure: it checks the options and builds JSON.
 */
export function planInit(options: InitOptions): InitPlan {
  if (options.justClient !== undefined) {
    if (options.tls !== undefined || options.selfSignedTls || options.database !== undefined) {
      throw new CliError(
        'usage',
        '--just-client writes a client part only: drop --tls, --self-signed-tls and --database',
      );
    }
    const { url, token } = parseServerUrl(options.justClient);
    return {
      kind: 'client-only',
      givenToken: token,
      profile: (t) => ({ client: { url, token: t } }),
    };
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new CliError('usage', `--port must be a TCP port (1 to 65535), got ${options.port}`);
  }
  if (options.tls !== undefined && options.selfSignedTls) {
    throw new CliError('usage', 'choose one of --tls CERT,KEY and --self-signed-tls');
  }
  if (options.database !== undefined) {
    try {
      parseDatabaseUri(options.database, { base: options.cwd });
    } catch (error) {
      throw new CliError('usage', `--database: ${(error as Error).message}`);
    }
  }
  const absolute = (p: string): string => (isAbsolute(p) ? p : resolve(options.cwd, p));
  let tls: NonNullable<ProfileInput['server']>['tls'] = null;
  let certificate: string | null = null;
  if (options.tls !== undefined) {
    const [cert, key, ...rest] = options.tls.split(',');
    if (cert === undefined || key === undefined || cert === '' || key === '' || rest.length > 0) {
      throw new CliError('usage', '--tls expects CERTIFICATE,KEY (two PEM file paths)');
    }
    tls = { certificate: absolute(cert), key: absolute(key) };
  } else if (options.selfSignedTls) {
    tls = { selfSigned: true, directory: 'tls' };
    certificate = 'tls/self-signed-cert.pem';
  }
  const database =
    options.database === undefined || /^postgres(ql)?:\/\//i.test(options.database)
      ? (options.database ?? 'ketrew.db')
      : absolute(options.database.replace(/^sqlite:(\/\/)?/i, ''));
  const clientHost =
    options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `${tls === null ? 'http' : 'https'}://${clientHost.includes(':') ? `[${clientHost}]` : clientHost}:${options.port}`;
  return {
    kind: 'server-and-client',
    givenToken: null,
    profile: (token) => ({
      client: { url, token, ...(certificate === null ? {} : { certificate }) },
      server: {
        listen: { host: options.host, port: options.port },
        database,
        tokensFile: 'tokens.json',
        tls,
      },
    }),
  };
}

/**
 * A server's URL as a user may paste it: `https://host:8756`, or a dashboard link
 * `https://host:8756/gui?token=T` (the original's form). Returns the base URL and the token.
 */
export function parseServerUrl(text: string): {
  readonly url: string;
  readonly token: string | null;
} {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError('usage', `not a URL: "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('usage', `the server URL must be http:// or https://, got "${text}"`);
  }
  const token = url.searchParams.get('token');
  const path = url.pathname
    .replace(/\/(gui|ui)\/?.*$/, '')
    .replace(/\/api\/v1\/?.*$/, '')
    .replace(/\/$/, '');
  return { url: `${url.protocol}//${url.host}${path}`, token: token === '' ? null : token };
}

export { DEFAULT_PORT };
