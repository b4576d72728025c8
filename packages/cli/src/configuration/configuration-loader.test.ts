import { describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { loadProfile, type LoadInput } from './configuration-loader.js';

const ROOT = '/home/ada/.ketrew';
const FILE = `${ROOT}/configuration.json`;

function load(files: Record<string, unknown>, options: Partial<LoadInput> = {}) {
  return loadProfile({
    env: {},
    cwd: '/work',
    home: '/home/ada',
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) return null;
      return typeof content === 'string' ? content : JSON.stringify(content);
    },
    ...options,
  });
}

function errorOf(action: () => unknown): CliError {
  try {
    action();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a CliError');
}

describe('loadProfile', () => {
  it('fills every default of a server profile and resolves its paths', () => {
    const profile = load({ [FILE]: { profiles: { default: { server: {} } } } });
    expect(profile.server).toEqual({
      listen: { host: '127.0.0.1', port: 8756 },
      database: `${ROOT}/ketrew.db`,
      tokensFile: `${ROOT}/tokens.json`,
      tls: null,
      readOnly: false,
      returnErrorMessages: false,
      changeRetentionDays: 7,
      engine: {
        maximumSuccessiveAttempts: 10,
        turnRecoverableIntoFailure: false,
        concurrency: null,
        pollIntervalMs: 1000,
      },
      plugins: [],
      pidFile: `${ROOT}/ketrew-server.pid`,
      logFile: `${ROOT}/logs/ketrew-server.log`,
    });
  });

  it('derives a client for a server-only profile', () => {
    const profile = load({
      [FILE]: {
        profiles: {
          default: {
            server: { listen: { host: '0.0.0.0', port: 9000 }, tls: { selfSigned: true } },
          },
        },
      },
    });
    expect(profile.clientConfigured).toBe(false);
    expect(profile.client).toMatchObject({
      url: 'https://127.0.0.1:9000',
      token: null,
      certificate: `${ROOT}/tls/self-signed-cert.pem`,
    });
  });

  it('keeps PostgreSQL URIs and strips sqlite: prefixes', () => {
    const pg = load({
      [FILE]: { profiles: { default: { server: { database: 'postgresql://k@db/ketrew' } } } },
    });
    expect(pg.server?.database).toBe('postgresql://k@db/ketrew');
    const sqlite = load({
      [FILE]: { profiles: { default: { server: { database: 'sqlite://data/k.db' } } } },
    });
    expect(sqlite.server?.database).toBe(`${ROOT}/data/k.db`);
  });

  it('uses built-in defaults when the default file does not exist', () => {
    const profile = load({});
    expect(profile.fileExists).toBe(false);
    expect(profile.server).toBeNull();
    expect(profile.client.url).toBe('http://127.0.0.1:8756');
  });

  it('refuses a missing file given explicitly, or a profile without any file', () => {
    expect(errorOf(() => load({}, { option: 'nope.json' })).message).toBe(
      'configuration file /work/nope.json does not exist',
    );
    const missingProfile = errorOf(() => load({}, { profile: 'daemon' }));
    expect(missingProfile.kind).toBe('configuration');
    expect(missingProfile.message).toContain('profile "daemon" not found');
  });

  it('names the profiles that exist when the chosen one does not', () => {
    const error = errorOf(() =>
      load({ [FILE]: { profiles: { a: {}, b: {} } } }, { env: { KETREW_PROFILE: 'c' } }),
    );
    expect(error.message).toBe(`profile "c" not found in ${FILE} (profiles: a, b)`);
  });

  it('names the offending key of an invalid file', () => {
    const wrongType = errorOf(() =>
      load({ [FILE]: { profiles: { default: { server: { listen: { port: '80' } } } } } }),
    );
    expect(wrongType.kind).toBe('configuration');
    expect(wrongType.message).toMatch(
      new RegExp(`^${FILE}: profiles\\.default\\.server\\.listen\\.port: expected number`),
    );
    const unknownKey = errorOf(() =>
      load({ [FILE]: { profiles: { default: { server: { engine: { maxAttempts: 3 } } } } } }),
    );
    expect(unknownKey.message).toBe(
      `${FILE}: profiles.default.server.engine: unknown key "maxAttempts"`,
    );
    const twoProblems = errorOf(() =>
      load({ [FILE]: { profiles: { default: { client: { url: 'ftp://x', token: '' } } } } }),
    );
    expect(twoProblems.message).toContain('profiles.default.client.url');
    expect(twoProblems.message).toContain('(and 1 more problem)');
  });

  it('reports invalid JSON with the file name', () => {
    const error = errorOf(() => load({ [FILE]: '{ "profiles": ' }));
    expect(error.message).toMatch(new RegExp(`^${FILE}: not valid JSON`));
  });

  it('applies extends, own keys winning, deeply', () => {
    const profile = load(
      {
        [FILE]: {
          profiles: {
            default: {
              client: { url: 'http://a:1', token: 'secret-token' },
              server: { listen: { port: 9000 }, readOnly: true },
            },
            daemon: { extends: 'default', server: { listen: { host: '0.0.0.0' } } },
          },
        },
      },
      { profile: 'daemon' },
    );
    expect(profile.client.token).toBe('secret-token');
    expect(profile.server?.listen).toEqual({ host: '0.0.0.0', port: 9000 });
    expect(profile.server?.readOnly).toBe(true);
  });

  it('gives each server profile its own pid and log files unless they are written out', () => {
    const files = {
      [FILE]: {
        profiles: {
          default: { server: {} },
          public: { extends: 'default', server: { listen: { port: 9000 } } },
          fixed: { server: { pidFile: '/run/k.pid' } },
        },
      },
    };
    expect(load(files, { profile: 'public' }).server).toMatchObject({
      pidFile: `${ROOT}/ketrew-server-public.pid`,
      logFile: `${ROOT}/logs/ketrew-server-public.log`,
    });
    expect(load(files).server?.pidFile).toBe(`${ROOT}/ketrew-server.pid`);
    expect(load(files, { profile: 'fixed' }).server).toMatchObject({
      pidFile: '/run/k.pid',
      logFile: `${ROOT}/logs/ketrew-server-fixed.log`,
    });
  });

  it('refuses cycles and unknown parents in extends', () => {
    const cycle = errorOf(() =>
      load({ [FILE]: { profiles: { default: { extends: 'b' }, b: { extends: 'default' } } } }),
    );
    expect(cycle.message).toContain('default → b → default');
    const unknown = errorOf(() => load({ [FILE]: { profiles: { default: { extends: 'x' } } } }));
    expect(unknown.message).toBe(`${FILE}: profiles.default.extends: there is no profile "x"`);
  });
});
