import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend, TransportProvider } from '@ketrew/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { loadBackends, pluginSpecifier } from './load-backends.js';

let directory: string;
const transports: TransportProvider = () => {
  throw new Error('not used');
};

function fakeBackend(name: string): Backend {
  return {
    name,
    start: async () => ({}),
    poll: async () => [],
    kill: async () => undefined,
    find: async () => null,
    logs: async () => ({ content: '', nextOffset: 0 }),
    queries: async () => [],
    query: async () => '',
  };
}

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'ketrew-cli-plugins-'));
  const pkg = join(directory, 'node_modules', 'ketrew-plugin-x');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: 'ketrew-plugin-x', main: 'index.js' }),
  );
  writeFileSync(join(pkg, 'index.js'), '');
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('pluginSpecifier', () => {
  it('takes paths from the base directory and finds packages installed there', () => {
    expect(pluginSpecifier('./p.js', '/etc/kt')).toBe('file:///etc/kt/p.js');
    expect(pluginSpecifier('/opt/p.js', '/etc/kt')).toBe('file:///opt/p.js');
    expect(pluginSpecifier('ketrew-plugin-x', directory)).toBe(
      pathToFileURL(join(directory, 'node_modules', 'ketrew-plugin-x', 'index.js')).href,
    );
    expect(pluginSpecifier('not-installed-anywhere', directory)).toBe('not-installed-anywhere');
  });
});

describe('loadBackends', () => {
  const modules: Record<string, unknown> = {
    '@ketrew/backend-daemonize': { createDaemonizeBackend: () => fakeBackend('daemonize') },
    '@ketrew/backend-lsf': {},
    'two-backends': { createBackend: async () => [fakeBackend('a'), fakeBackend('b')] },
    'default-export': { default: () => fakeBackend('c') },
    clash: { createBackend: () => fakeBackend('daemonize') },
    nothing: { something: 1 },
    'not-a-backend': { createBackend: () => ({ name: 'x' }) },
  };
  const importModule = async (name: string): Promise<unknown> => {
    if (!(name in modules)) throw new Error(`Cannot find package '${name}'`);
    return modules[name];
  };
  const load = (plugins: string[]) =>
    loadBackends({ transports, plugins, baseDirectory: directory, importModule });

  it('loads the first-party backends this installation has, then the plugins', async () => {
    const backends = await load(['two-backends', 'default-export']);
    expect(backends.map((b) => b.name)).toEqual(['daemonize', 'a', 'b', 'c']);
  });

  it('refuses missing plugins, plugins without a factory, non-backends and name clashes', async () => {
    for (const [plugin, message] of [
      ['missing', 'cannot load the backend plugin "missing"'],
      ['nothing', 'exports no createBackend function'],
      ['not-a-backend', 'returned something that is not a Backend'],
      ['clash', 'two backends are named "daemonize"'],
    ] as const) {
      const error = await load([plugin]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as CliError).kind).toBe('configuration');
      expect((error as CliError).message).toContain(message);
    }
  });
});
