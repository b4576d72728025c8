import { describe, expect, it } from 'vitest';
import { ConfigurationFileSchema } from './configuration-schema.js';
import { parseServerUrl, planInit, type InitOptions } from './init-plan.js';

const defaults: InitOptions = { port: 8756, host: '127.0.0.1', selfSignedTls: false, cwd: '/work' };

describe('planInit', () => {
  it('writes a server and a client that reaches it, valid against the schema', () => {
    const plan = planInit(defaults);
    expect(plan.kind).toBe('server-and-client');
    const profile = plan.profile('t0k3n');
    expect(profile).toEqual({
      client: { url: 'http://127.0.0.1:8756', token: 't0k3n' },
      server: {
        listen: { host: '127.0.0.1', port: 8756 },
        database: 'ketrew.db',
        tokensFile: 'tokens.json',
        tls: null,
      },
    });
    expect(ConfigurationFileSchema.safeParse({ profiles: { default: profile } }).success).toBe(
      true,
    );
  });

  it('uses https and trusts the generated certificate with --self-signed-tls', () => {
    const profile = planInit({ ...defaults, port: 9443, selfSignedTls: true }).profile('t');
    expect(profile.client).toEqual({
      url: 'https://127.0.0.1:9443',
      token: 't',
      certificate: 'tls/self-signed-cert.pem',
    });
    expect(profile.server?.tls).toEqual({ selfSigned: true, directory: 'tls' });
  });

  it('takes --tls paths from the current directory and --database as given', () => {
    const profile = planInit({
      ...defaults,
      tls: 'c.pem,/k/key.pem',
      database: 'postgresql://k@db/ketrew',
    }).profile(null);
    expect(profile.server?.tls).toEqual({ certificate: '/work/c.pem', key: '/k/key.pem' });
    expect(profile.server?.database).toBe('postgresql://k@db/ketrew');
    expect(planInit({ ...defaults, database: 'sqlite:x.db' }).profile(null).server?.database).toBe(
      '/work/x.db',
    );
  });

  it('refuses contradictory or malformed options', () => {
    expect(() => planInit({ ...defaults, tls: 'a,b', selfSignedTls: true })).toThrow(/choose one/);
    expect(() => planInit({ ...defaults, tls: 'only-one' })).toThrow(/CERTIFICATE,KEY/);
    expect(() => planInit({ ...defaults, port: 70000 })).toThrow(/--port/);
    expect(() => planInit({ ...defaults, database: 'mysql://x/y' })).toThrow(/--database/);
    expect(() => planInit({ ...defaults, justClient: 'http://h', selfSignedTls: true })).toThrow(
      /client part only/,
    );
  });

  it('writes a client-only profile from a dashboard URL', () => {
    const plan = planInit({ ...defaults, justClient: 'https://k.example.org:8443/gui?token=abc' });
    expect(plan.kind).toBe('client-only');
    expect(plan.givenToken).toBe('abc');
    expect(plan.profile('abc')).toEqual({
      client: { url: 'https://k.example.org:8443', token: 'abc' },
    });
  });
});

describe('parseServerUrl', () => {
  it('keeps a path prefix and drops /gui, /api/v1 and the query', () => {
    expect(parseServerUrl('http://h:1/ketrew/gui?token=t')).toEqual({
      url: 'http://h:1/ketrew',
      token: 't',
    });
    expect(parseServerUrl('http://h:1/api/v1/status')).toEqual({ url: 'http://h:1', token: null });
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => parseServerUrl('h:1')).toThrow(/http/);
    expect(() => parseServerUrl('not a url')).toThrow(/not a URL/);
  });
});
