import { join } from 'node:path';
import type { z } from 'zod';
import { CliError } from '../errors.js';
import {
  ClientConfigurationSchema,
  ConfigurationFileSchema,
  ProfileConfigurationSchema,
  type ClientConfiguration,
  type ServerConfiguration,
  type TlsConfiguration,
} from './configuration-schema.js';
import {
  chooseProfile,
  locateConfiguration,
  resolveConfiguredPath,
} from './configuration-lookup.js';
import type { ConfigurationLocation, LookupInput } from './configuration-lookup.js';
import { describeValidationIssue } from './validation-issue.js';

/** The profile a command runs with, every path absolute and every default filled in. */
export interface LoadedProfile {
  readonly name: string;
  readonly location: ConfigurationLocation;
  /** Whether the configuration file exists; without one, built-in defaults apply. */
  readonly fileExists: boolean;
  /** The client part; derived from the server part (or the defaults) when the profile has none. */
  readonly client: ClientConfiguration;
  /** Whether `client` was written in the profile (not derived). */
  readonly clientConfigured: boolean;
  /** The server part, `null` when the profile has none. */
  readonly server: ServerConfiguration | null;
  /** Every profile name in the file. */
  readonly profileNames: readonly string[];
}

export interface LoadInput extends LookupInput {
  /** `-P/--profile`, as typed. */
  readonly profile?: string | undefined;
  /** Reads a file as UTF-8; returns `null` when it does not exist. */
  readonly readFile: (path: string) => string | null;
}

/**
 * Find, read, validate and resolve the configuration (lookup order in
 * docs/configuration.md). Throws a `CliError` of kind `configuration` whose message names the
 * file and the offending key.
 */
export function loadProfile(input: LoadInput): LoadedProfile {
  const location = locateConfiguration(input);
  const chosen = chooseProfile({ option: input.profile, env: input.env });
  const text = input.readFile(location.path);
  if (text === null) {
    if (location.source !== 'root') {
      throw new CliError('configuration', `configuration file ${location.path} does not exist`, {
        hint: describeSource(location),
      });
    }
    if (chosen.source !== 'default') {
      throw new CliError(
        'configuration',
        `profile "${chosen.name}" not found: there is no configuration file at ${location.path}`,
        { hint: 'Run `ketrew init` to create one.' },
      );
    }
    return {
      name: chosen.name,
      location,
      fileExists: false,
      client: ClientConfigurationSchema.parse({}),
      clientConfigured: false,
      server: null,
      profileNames: [],
    };
  }
  const raw = parseJson(text, location.path);
  const file = ConfigurationFileSchema.safeParse(raw);
  if (!file.success) throw invalid(location.path, file.error);
  const rawProfiles = (raw as { profiles: Record<string, unknown> }).profiles;
  const profileNames = Object.keys(rawProfiles);
  if (!Object.hasOwn(rawProfiles, chosen.name)) {
    throw new CliError(
      'configuration',
      `profile "${chosen.name}" not found in ${location.path} (profiles: ${profileNames.join(', ') || 'none'})`,
    );
  }
  const rawProfile = mergeExtended(rawProfiles, chosen.name, location.path);
  const merged = ProfileConfigurationSchema.safeParse(rawProfile);
  if (!merged.success) throw invalid(location.path, merged.error, ['profiles', chosen.name]);
  const profile = merged.data;
  // Two server profiles of one file must not share a pid file: the default file names carry
  // the profile's name unless it is `default` or the names are written out.
  const rawServer = (rawProfile['server'] ?? {}) as Record<string, unknown>;
  const suffix = chosen.name === 'default' ? '' : `-${chosen.name}`;
  const pidFile =
    rawServer['pidFile'] === undefined ? `ketrew-server${suffix}.pid` : profile.server?.pidFile;
  const logFile =
    rawServer['logFile'] === undefined
      ? `logs/ketrew-server${suffix}.log`
      : profile.server?.logFile;
  const at = (p: string): string => resolveConfiguredPath(p, location.path, input.home);
  const server: ServerConfiguration | null =
    profile.server === undefined
      ? null
      : {
          ...profile.server,
          database: /^postgres(ql)?:\/\//i.test(profile.server.database)
            ? profile.server.database
            : at(profile.server.database.replace(/^sqlite:(\/\/)?/i, '')),
          tokensFile: at(profile.server.tokensFile),
          pidFile: at(pidFile ?? profile.server.pidFile),
          logFile: at(logFile ?? profile.server.logFile),
          tls: resolveTls(profile.server.tls, at),
        };
  const client: ClientConfiguration =
    profile.client !== undefined
      ? {
          ...profile.client,
          certificate: profile.client.certificate === null ? null : at(profile.client.certificate),
        }
      : server !== null
        ? ClientConfigurationSchema.parse({
            url: `${server.tls === null ? 'http' : 'https'}://${connectableHost(server.listen.host)}:${server.listen.port}`,
            certificate: trustedCertificate(server.tls),
          })
        : ClientConfigurationSchema.parse({});
  return {
    name: chosen.name,
    location,
    fileExists: true,
    client,
    clientConfigured: profile.client !== undefined,
    server,
    profileNames,
  };
}

/** A profile with its `extends` chain applied (parents first, own keys win). */
function mergeExtended(
  profiles: Record<string, unknown>,
  name: string,
  file: string,
  seen: readonly string[] = [],
): Record<string, unknown> {
  if (seen.includes(name)) {
    throw new CliError(
      'configuration',
      `${file}: profiles extend each other in a cycle: ${[...seen, name].join(' → ')}`,
    );
  }
  const own = profiles[name] as Record<string, unknown>;
  const parent = own['extends'];
  if (typeof parent !== 'string') return own;
  if (!Object.hasOwn(profiles, parent)) {
    throw new CliError(
      'configuration',
      `${file}: profiles.${name}.extends: there is no profile "${parent}"`,
    );
  }
  const { extends: _ignored, ...rest } = own;
  return deepMerge(mergeExtended(profiles, parent, file, [...seen, name]), rest);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  const { extends: _drop, ...rest } = out;
  return rest;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError('configuration', `${path}: not valid JSON (${(error as Error).message})`);
  }
}

function invalid(path: string, error: z.ZodError, prefix: readonly string[] = []): CliError {
  const [first, ...others] = error.issues;
  const more =
    others.length === 0
      ? ''
      : ` (and ${others.length} more problem${others.length === 1 ? '' : 's'})`;
  return new CliError(
    'configuration',
    `${path}: ${first === undefined ? 'invalid' : describeValidationIssue(first, prefix)}${more}`,
    {
      hint: 'Run `ketrew print-configuration` after fixing it; the keys are in docs/configuration.md.',
    },
  );
}

function describeSource(location: ConfigurationLocation): string {
  switch (location.source) {
    case 'option':
      return 'It was given with -C/--configuration-file.';
    case 'env:KETREW_CONFIGURATION':
      return 'It was given by $KETREW_CONFIGURATION.';
    case 'env:KETREW_CONFIG':
      return 'It was given by $KETREW_CONFIG.';
    case 'root':
      return 'Run `ketrew init` to create it.';
    default:
      return unreachable(location.source);
  }
}

/** A wildcard bind address is not something to connect to. */
function connectableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function unreachable(value: never): never {
  throw new Error(`unexpected ${String(value)}`);
}

function resolveTls(tls: TlsConfiguration | null, at: (path: string) => string) {
  if (tls === null) return null;
  return 'selfSigned' in tls
    ? { selfSigned: true as const, directory: at(tls.directory) }
    : { certificate: at(tls.certificate), key: at(tls.key) };
}

/** The certificate a client of this server must trust. */
export function trustedCertificate(tls: TlsConfiguration | null): string | null {
  if (tls === null) return null;
  return 'selfSigned' in tls ? join(tls.directory, SELF_SIGNED_CERTIFICATE) : tls.certificate;
}

/** File name of the self-signed certificate in its directory (the server generates it). */
export const SELF_SIGNED_CERTIFICATE = 'self-signed-cert.pem';
