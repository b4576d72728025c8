import { EdslError, HostUriError } from '../errors.js';
import { normalizeAbsolutePath } from '../path/absolute-path.js';
import type { Host } from '../wire/host-schema.js';

/** The parts of a host a URI describes (everything but the display name). */
export interface HostUriParts {
  readonly connection: Host['connection'];
  readonly playground: string | null;
  readonly shell: readonly string[];
  readonly timeout: number | null;
}

export const DEFAULT_SHELL: readonly string[] = ['sh', '-c'];
const QUERY_PARAMETERS = ['shell', 'timeout', 'ssh-option'] as const;

/**
 * Parses the original's host URI syntax:
 * - `/tmp/KT` or `file:///tmp/KT`: localhost, playground `/tmp/KT`; `file://` alone: no playground;
 * - `ssh://user@host:22/home/u/kt`: SSH (user and port optional, playground optional);
 * - query: `shell=bash,-l,-c` (comma-separated argv; a lone `shell=bash` means `bash -c`),
 *   `timeout=30` (seconds per system command), `ssh-option=-K` (repeatable, comma-separated).
 * Items are percent-decoded after splitting, so `%2C` is a literal comma.
 */
export function parseHostUri(uri: string): HostUriParts {
  const fail = (problem: string): never => {
    throw new HostUriError(uri, problem);
  };
  if (uri.trim() === '') fail('empty URI (expected an absolute path or ssh://HOST/PATH)');
  if (uri.includes('#')) fail('fragments ("#...") are not allowed');
  const queryAt = uri.indexOf('?');
  const beforeQuery = queryAt === -1 ? uri : uri.slice(0, queryAt);
  const query = queryAt === -1 ? '' : uri.slice(queryAt + 1);

  let connection: Host['connection'];
  let rawPath: string;
  if (beforeQuery.startsWith('/')) {
    connection = { kind: 'localhost' };
    rawPath = beforeQuery;
  } else {
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(beforeQuery)?.[1];
    if (scheme === undefined) {
      return fail(
        `relative playground ${JSON.stringify(beforeQuery)}: the playground must be an absolute path (e.g. /tmp/KT), or use ssh://HOST/PATH`,
      );
    }
    const rest = beforeQuery.slice(scheme.length + 1);
    if (!rest.startsWith('//')) fail(`expected "${scheme}://" after the scheme`);
    const slash = rest.indexOf('/', 2);
    const authority = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    rawPath = slash === -1 ? '' : rest.slice(slash);
    switch (scheme.toLowerCase()) {
      case 'file':
        if (authority !== '' && authority !== 'localhost') {
          fail(`file:// URIs name this machine; use ssh://${authority}/... for another host`);
        }
        connection = { kind: 'localhost' };
        break;
      case 'ssh':
        connection = { kind: 'ssh', ...parseAuthority(authority, fail), sshOptions: [] };
        break;
      default:
        return fail(
          `unknown scheme "${scheme}" (expected ssh:// or file://, or an absolute path for localhost)`,
        );
    }
  }

  const playground = rawPath === '' ? null : decodePlayground(rawPath, fail);
  const { shell, timeout, sshOptions } = parseQuery(query, fail);
  if (sshOptions.length > 0) {
    if (connection.kind !== 'ssh') fail('"ssh-option" applies only to ssh:// hosts');
    else connection = { ...connection, sshOptions };
  }
  return { connection, playground, shell: shell ?? DEFAULT_SHELL, timeout };
}

function decodePlayground(rawPath: string, fail: (problem: string) => never): string {
  const decoded = decode(rawPath, 'playground', fail);
  try {
    return normalizeAbsolutePath(decoded, 'playground');
  } catch (error) {
    return fail(error instanceof EdslError ? error.message : String(error));
  }
}

function parseAuthority(
  authority: string,
  fail: (problem: string) => never,
): { address: string; port: number | null; user: string | null } {
  const at = authority.lastIndexOf('@');
  const rawUser = at === -1 ? null : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  if (rawUser !== null && rawUser.includes(':')) {
    fail('passwords are not allowed in host URIs (use SSH keys or an agent)');
  }
  if (rawUser === '') fail('empty user name before "@"');
  let address: string;
  let rawPort: string | null;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) fail('unclosed "[" in an IPv6 address');
    address = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) fail(`unexpected "${after}" after the address`);
    rawPort = after === '' ? null : after.slice(1);
  } else {
    const colon = hostPort.indexOf(':');
    address = colon === -1 ? hostPort : hostPort.slice(0, colon);
    rawPort = colon === -1 ? null : hostPort.slice(colon + 1);
  }
  if (address === '') fail('missing host name (ssh://[USER@]HOST[:PORT]/PLAYGROUND)');
  let port: number | null = null;
  if (rawPort !== null) {
    port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      fail(`bad port ${JSON.stringify(rawPort)} (expected a number from 1 to 65535)`);
    }
  }
  return {
    address: decode(address, 'host name', fail),
    port,
    user: rawUser === null ? null : decode(rawUser, 'user name', fail),
  };
}

function parseQuery(
  query: string,
  fail: (problem: string) => never,
): { shell: string[] | null; timeout: number | null; sshOptions: string[] } {
  let shell: string[] | null = null;
  let timeout: number | null = null;
  const sshOptions: string[] = [];
  for (const parameter of query.split('&')) {
    if (parameter === '') continue;
    const equals = parameter.indexOf('=');
    const key = decode(equals === -1 ? parameter : parameter.slice(0, equals), 'query', fail);
    const value = equals === -1 ? '' : parameter.slice(equals + 1);
    const items = value === '' ? [] : value.split(',').map((item) => decode(item, key, fail));
    switch (key) {
      case 'shell':
        if (shell !== null) fail('"shell" is given twice');
        if (items.length === 0 || items.some((item) => item === '')) {
          fail('"shell" must be a comma-separated command, e.g. shell=bash,-l,-c');
        }
        shell = items.length === 1 ? [items[0]!, '-c'] : items;
        break;
      case 'timeout': {
        if (timeout !== null) fail('"timeout" is given twice');
        const seconds = value.trim() === '' ? NaN : Number(value);
        if (!(seconds > 0 && Number.isFinite(seconds))) {
          fail(`bad timeout ${JSON.stringify(value)} (expected a positive number of seconds)`);
        }
        timeout = seconds;
        break;
      }
      case 'ssh-option':
        if (items.length === 0) fail('"ssh-option" needs a value, e.g. ssh-option=-K');
        sshOptions.push(...items);
        break;
      default:
        fail(`unknown query parameter "${key}" (known: ${QUERY_PARAMETERS.join(', ')})`);
    }
  }
  return { shell, timeout, sshOptions };
}

function decode(text: string, what: string, fail: (problem: string) => never): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return fail(`bad percent-encoding in the ${what} ${JSON.stringify(text)} (write "%" as %25)`);
  }
}

/**
 * The URI of a host, in the syntax `parseHostUri` reads: `parseHostUri(hostToUri(h))` gives
 * back `h`'s connection, playground, shell and timeout. The shell and timeout appear only when
 * they differ from the defaults (`sh -c`, none).
 */
export function hostToUri(host: HostUriParts): string {
  const path =
    host.playground === null
      ? ''
      : encodePart(host.playground, /[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/gu);
  let base: string;
  const query: string[] = [];
  switch (host.connection.kind) {
    case 'localhost':
      base = path.startsWith('/') ? path : `file://${path}`;
      break;
    case 'ssh': {
      const { address, port, user, sshOptions } = host.connection;
      const userPart =
        user === null ? '' : `${encodePart(user, /[^A-Za-z0-9\-._~!$&'()*+,;=]/gu)}@`;
      const hostPart = address.includes(':')
        ? `[${address}]`
        : encodePart(address, /[^A-Za-z0-9\-._~!$&'()*+,;=]/gu);
      base = `ssh://${userPart}${hostPart}${port === null ? '' : `:${port}`}${path}`;
      if (sshOptions.length > 0) query.push(`ssh-option=${sshOptions.map(encodeItem).join(',')}`);
      break;
    }
    default: {
      const unreachable: never = host.connection;
      return unreachable;
    }
  }
  if (!sameShell(host.shell, DEFAULT_SHELL))
    query.unshift(`shell=${host.shell.map(encodeItem).join(',')}`);
  if (host.timeout !== null) query.push(`timeout=${host.timeout}`);
  return query.length === 0 ? base : `${base}?${query.join('&')}`;
}

function sameShell(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function encodeItem(item: string): string {
  return encodePart(item, /[^A-Za-z0-9\-._~!$'()*;:@/]/gu);
}

/** Percent-encodes the characters `unsafe` matches (whole code points: the regex has `u`). */
function encodePart(text: string, unsafe: RegExp): string {
  return text.replace(unsafe, (c) => encodeURIComponent(c));
}
