import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Where the configuration file was found, in lookup order. */
export type ConfigurationSource =
  'option' | 'env:KETREW_CONFIGURATION' | 'env:KETREW_CONFIG' | 'root';

export interface ConfigurationLocation {
  /** Absolute path of the configuration file (it may not exist). */
  readonly path: string;
  readonly source: ConfigurationSource;
  /** `$KETREW_ROOT`, or `~/.ketrew`: where `init` writes and default files live. */
  readonly root: string;
}

export interface LookupInput {
  /** `-C/--configuration-file`, as typed. */
  readonly option?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly home: string;
}

/** `$KETREW_ROOT`, else `~/.ketrew`; relative values are taken from the current directory. */
export function ketrewRoot(input: Pick<LookupInput, 'env' | 'cwd' | 'home'>): string {
  const fromEnv = nonEmpty(input.env['KETREW_ROOT']);
  return fromEnv === undefined ? join(input.home, '.ketrew') : resolve(input.cwd, fromEnv);
}

/**
 * Find the configuration file as the original did: `-C FILE`, then `$KETREW_CONFIGURATION`,
 * then `$KETREW_CONFIG`, then `configuration.json` in `$KETREW_ROOT` (default `~/.ketrew/`).
 * Pure: it only computes the path; the loader reads it.
 */
export function locateConfiguration(input: LookupInput): ConfigurationLocation {
  const root = ketrewRoot(input);
  const candidates: readonly [ConfigurationSource, string | undefined][] = [
    ['option', nonEmpty(input.option)],
    ['env:KETREW_CONFIGURATION', nonEmpty(input.env['KETREW_CONFIGURATION'])],
    ['env:KETREW_CONFIG', nonEmpty(input.env['KETREW_CONFIG'])],
  ];
  for (const [source, value] of candidates) {
    if (value !== undefined) return { path: resolve(input.cwd, value), source, root };
  }
  return { path: join(root, 'configuration.json'), source: 'root', root };
}

/** The profile to use: `-P/--profile`, then `$KETREW_PROFILE`, then `default`. */
export function chooseProfile(input: {
  readonly option?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}): { readonly name: string; readonly source: 'option' | 'env:KETREW_PROFILE' | 'default' } {
  const option = nonEmpty(input.option);
  if (option !== undefined) return { name: option, source: 'option' };
  const env = nonEmpty(input.env['KETREW_PROFILE']);
  if (env !== undefined) return { name: env, source: 'env:KETREW_PROFILE' };
  return { name: 'default', source: 'default' };
}

/**
 * A path from the configuration: `~/x` is taken from the home directory, a relative path from
 * the directory of the configuration file.
 */
export function resolveConfiguredPath(
  path: string,
  configurationFile: string,
  home: string,
): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return isAbsolute(path) ? path : resolve(dirname(configurationFile), path);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
