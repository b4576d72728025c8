import { describe, expect, it } from 'vitest';
import {
  chooseProfile,
  locateConfiguration,
  resolveConfiguredPath,
} from './configuration-lookup.js';

const base = { cwd: '/work', home: '/home/ada' };

describe('locateConfiguration', () => {
  it('defaults to ~/.ketrew/configuration.json', () => {
    expect(locateConfiguration({ ...base, env: {} })).toEqual({
      path: '/home/ada/.ketrew/configuration.json',
      source: 'root',
      root: '/home/ada/.ketrew',
    });
  });

  it('uses $KETREW_ROOT, relative to the current directory', () => {
    const location = locateConfiguration({ ...base, env: { KETREW_ROOT: 'kt' } });
    expect(location).toEqual({
      path: '/work/kt/configuration.json',
      source: 'root',
      root: '/work/kt',
    });
  });

  it('follows the order -C, $KETREW_CONFIGURATION, $KETREW_CONFIG, $KETREW_ROOT', () => {
    const env = {
      KETREW_CONFIGURATION: '/a.json',
      KETREW_CONFIG: '/b.json',
      KETREW_ROOT: '/r',
    };
    expect(locateConfiguration({ ...base, env, option: 'c.json' })).toMatchObject({
      path: '/work/c.json',
      source: 'option',
    });
    expect(locateConfiguration({ ...base, env })).toMatchObject({
      path: '/a.json',
      source: 'env:KETREW_CONFIGURATION',
      root: '/r',
    });
    expect(
      locateConfiguration({ ...base, env: { ...env, KETREW_CONFIGURATION: '' } }),
    ).toMatchObject({ path: '/b.json', source: 'env:KETREW_CONFIG' });
    expect(
      locateConfiguration({ ...base, env: { KETREW_ROOT: '/r', KETREW_CONFIG: '  ' } }),
    ).toMatchObject({ path: '/r/configuration.json', source: 'root' });
  });
});

describe('chooseProfile', () => {
  it('prefers -P, then $KETREW_PROFILE, then default', () => {
    expect(chooseProfile({ option: 'p', env: { KETREW_PROFILE: 'e' } })).toEqual({
      name: 'p',
      source: 'option',
    });
    expect(chooseProfile({ env: { KETREW_PROFILE: 'e' } })).toEqual({
      name: 'e',
      source: 'env:KETREW_PROFILE',
    });
    expect(chooseProfile({ env: {} })).toEqual({ name: 'default', source: 'default' });
  });
});

describe('resolveConfiguredPath', () => {
  it('takes relative paths from the configuration file and ~ from home', () => {
    expect(resolveConfiguredPath('ketrew.db', '/etc/kt/configuration.json', '/home/ada')).toBe(
      '/etc/kt/ketrew.db',
    );
    expect(resolveConfiguredPath('../x/t.json', '/etc/kt/c.json', '/h')).toBe('/etc/x/t.json');
    expect(resolveConfiguredPath('~/kt/db', '/etc/kt/c.json', '/home/ada')).toBe('/home/ada/kt/db');
    expect(resolveConfiguredPath('/abs/db', '/etc/kt/c.json', '/h')).toBe('/abs/db');
  });
});
