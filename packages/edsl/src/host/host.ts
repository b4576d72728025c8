import { invalidArgument } from '../errors.js';
import { normalizeAbsolutePath } from '../path/absolute-path.js';
import { trusted } from '../util/trusted.js';
import type { Host as HostSpec } from '../wire/host-schema.js';
import { DEFAULT_SHELL, hostToUri, parseHostUri } from './host-uri.js';
import type { HostUriParts } from './host-uri.js';

/** Where commands run and files live: the wire format's host, plain data. */
export type Host = HostSpec;

/** Options shared by `Host.localhost` and `Host.ssh`. */
export interface HostOptions {
  /** Directory where each run's playground is made (absolute). Default: none. */
  readonly playground?: string | null | undefined;
  /** How a command string is run, e.g. `['bash', '-l', '-c']`. Default `['sh', '-c']`. */
  readonly shell?: readonly string[] | undefined;
  /** Timeout in seconds of each system command sent to the host. Default: the engine's. */
  readonly timeout?: number | null | undefined;
  /** Display name. Default: the host's URI (`Host.toUri`). */
  readonly name?: string | undefined;
}

/** Options of `Host.ssh`. */
export interface SshHostOptions extends HostOptions {
  /** Host name or IP address. */
  readonly address: string;
  readonly port?: number | null | undefined;
  readonly user?: string | null | undefined;
  /** Extra `ssh` arguments, e.g. `['-K']`. */
  readonly sshOptions?: readonly string[] | undefined;
}

function makeHost(parts: HostUriParts, name: string | undefined): Host {
  const host: Host = {
    name: '',
    connection: parts.connection,
    playground: parts.playground,
    shell: [...parts.shell],
    timeout: parts.timeout,
  };
  host.name = name ?? hostToUri(host);
  return trusted(host);
}

function checkedParts(where: string, options: HostOptions): Omit<HostUriParts, 'connection'> {
  const playground =
    options.playground === undefined || options.playground === null
      ? null
      : normalizeAbsolutePath(options.playground, `${where}: playground`);
  const shell = options.shell ?? DEFAULT_SHELL;
  if (shell.length === 0 || shell.some((item) => item === '')) {
    invalidArgument(
      where,
      'shell must be a non-empty list of non-empty strings, e.g. ["sh", "-c"]',
    );
  }
  const timeout = options.timeout ?? null;
  if (timeout !== null && !(timeout > 0 && Number.isFinite(timeout))) {
    invalidArgument(where, `timeout must be a positive number of seconds, got ${timeout}`);
  }
  if (options.name !== undefined && options.name === '') invalidArgument(where, 'name is empty');
  return { playground, shell, timeout };
}

/** The local machine with `/tmp` as playground (the original's `tmp_on_localhost`). */
const tmpOnLocalhost: Host = makeHost(
  { connection: { kind: 'localhost' }, playground: '/tmp', shell: DEFAULT_SHELL, timeout: null },
  undefined,
);

/**
 * Hosts: where commands run and files live. A host is plain data (the wire format's `Host`);
 * these functions build and print them.
 *
 * @example
 * Host.parse('/tmp/KT'); // localhost, playground /tmp/KT
 * Host.parse('ssh://me@cluster:2222/home/me/kt?shell=bash,-l,-c&timeout=30&ssh-option=-K');
 * Host.ssh({ address: 'cluster', user: 'me', playground: '/home/me/kt' });
 */
export const Host = {
  /**
   * Reads a host URI (see docs/edsl.md): `/tmp/KT` (localhost, playground /tmp/KT),
   * `ssh://user@host:port/playground?shell=bash,-l,-c&timeout=30&ssh-option=-K`. Throws a
   * `HostUriError` saying what is wrong (unknown scheme, bad port, relative playground, unknown
   * query parameter, ...). The host's name is its canonical URI.
   */
  parse(uri: string): Host {
    return makeHost(parseHostUri(uri), undefined);
  },

  /**
   * The local machine. Accepts the playground alone (`Host.localhost('/tmp/KT')`) or options;
   * default: no playground, `sh -c`, the engine's timeout.
   */
  localhost(playgroundOrOptions: string | HostOptions = {}): Host {
    const options =
      typeof playgroundOrOptions === 'string'
        ? { playground: playgroundOrOptions }
        : playgroundOrOptions;
    return makeHost(
      { connection: { kind: 'localhost' }, ...checkedParts('Host.localhost', options) },
      options.name,
    );
  },

  tmpOnLocalhost,

  /** A host reached with SSH. Default: ssh's own port and user, no playground, `sh -c`. */
  ssh(options: SshHostOptions): Host {
    const where = 'Host.ssh';
    if (options.address === '' || /[/@\s]/.test(options.address)) {
      invalidArgument(where, `bad address ${JSON.stringify(options.address)}`);
    }
    const port = options.port ?? null;
    if (port !== null && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      invalidArgument(where, `bad port ${port} (expected an integer from 1 to 65535)`);
    }
    const user = options.user ?? null;
    if (user === '') invalidArgument(where, 'user is empty');
    const connection: Host['connection'] = {
      kind: 'ssh',
      address: options.address,
      port,
      user,
      sshOptions: [...(options.sshOptions ?? [])],
    };
    return makeHost({ connection, ...checkedParts(where, options) }, options.name);
  },

  /** The host's URI, which `Host.parse` reads back (the display name is not part of it). */
  toUri(host: Host): string {
    return hostToUri(host);
  },
} as const;
