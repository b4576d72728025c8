import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdslError, HostUriError } from '../errors.js';
import { HostSchema } from '../wire/host-schema.js';
import { Host } from './host.js';

describe('Host.parse', () => {
  it('reads an absolute path as localhost with that playground', () => {
    expect(Host.parse('/tmp/KT')).toEqual({
      name: '/tmp/KT',
      connection: { kind: 'localhost' },
      playground: '/tmp/KT',
      shell: ['sh', '-c'],
      timeout: null,
    });
  });

  it('reads the full ssh syntax of the original', () => {
    const host = Host.parse(
      'ssh://user@host:42/playground?shell=bash,-l,-c&timeout=30&ssh-option=-K',
    );
    expect(host).toEqual({
      name: 'ssh://user@host:42/playground?shell=bash,-l,-c&ssh-option=-K&timeout=30',
      connection: { kind: 'ssh', address: 'host', port: 42, user: 'user', sshOptions: ['-K'] },
      playground: '/playground',
      shell: ['bash', '-l', '-c'],
      timeout: 30,
    });
    expect(HostSchema.parse(host)).toEqual(host);
  });

  it('reads ssh without user, port or playground', () => {
    expect(Host.parse('ssh://example.com')).toMatchObject({
      connection: { kind: 'ssh', address: 'example.com', port: null, user: null, sshOptions: [] },
      playground: null,
    });
  });

  it('reads file:// URIs as localhost', () => {
    expect(Host.parse('file:///tmp/KT').playground).toBe('/tmp/KT');
    expect(Host.parse('file://localhost/tmp/KT').connection).toEqual({ kind: 'localhost' });
    expect(Host.parse('file://')).toMatchObject({ playground: null, name: 'file://' });
  });

  it('reads a lone shell name as "NAME -c", like the original', () => {
    expect(Host.parse('/tmp?shell=bash').shell).toEqual(['bash', '-c']);
  });

  it('collects repeated and comma-separated ssh options, percent-decoded', () => {
    const host = Host.parse('ssh://h/p?ssh-option=-K,-v&ssh-option=-oX%3Dy%2Cz');
    expect(host.connection).toMatchObject({ sshOptions: ['-K', '-v', '-oX=y,z'] });
  });

  it('decodes percent-encoded paths and user names, and reads IPv6 addresses', () => {
    const host = Host.parse('ssh://j%40doe@[::1]:2222/my%20dir');
    expect(host.connection).toMatchObject({ address: '::1', port: 2222, user: 'j@doe' });
    expect(host.playground).toBe('/my dir');
  });

  it('normalizes the playground', () => {
    expect(Host.parse('/tmp//KT/').playground).toBe('/tmp/KT');
  });

  it.each([
    ['http://example.com/x', /unknown scheme "http"/],
    ['ssh://host:abc/x', /bad port "abc"/],
    ['ssh://host:70000/x', /bad port "70000"/],
    ['ssh://host:/x', /bad port ""/],
    ['tmp/KT', /relative playground "tmp\/KT"/],
    ['/tmp?color=blue', /unknown query parameter "color" \(known: shell, timeout, ssh-option\)/],
    ['/tmp?timeout=-3', /bad timeout "-3"/],
    ['/tmp?timeout=soon', /bad timeout "soon"/],
    ['/tmp?timeout=1&timeout=2', /"timeout" is given twice/],
    ['/tmp?shell=', /"shell" must be a comma-separated command/],
    ['/tmp?ssh-option=-K', /"ssh-option" applies only to ssh/],
    ['ssh:///x', /missing host name/],
    ['ssh://user:secret@host/x', /passwords are not allowed/],
    ['ssh:host/x', /expected "ssh:\/\/"/],
    ['file://cluster/x', /use ssh:\/\/cluster/],
    ['/tmp/100%', /bad percent-encoding/],
    ['/tmp#frag', /fragments/],
    ['', /empty URI/],
  ])('rejects %j', (uri, message) => {
    const attempt = (): Host => Host.parse(uri);
    expect(attempt).toThrow(HostUriError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(`Invalid host URI ${JSON.stringify(uri)}`);
  });

  it('gives errors a stable code', () => {
    try {
      Host.parse('gopher://x');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EdslError);
      expect((error as EdslError).code).toBe('invalid-host-uri');
    }
  });
});

describe('Host builders', () => {
  it('localhost takes a playground or options', () => {
    expect(Host.localhost('/tmp/KT')).toEqual(Host.parse('/tmp/KT'));
    expect(Host.localhost({ playground: '/w', shell: ['bash', '-c'], timeout: 5 })).toEqual({
      name: '/w?shell=bash,-c&timeout=5',
      connection: { kind: 'localhost' },
      playground: '/w',
      shell: ['bash', '-c'],
      timeout: 5,
    });
    expect(Host.localhost()).toMatchObject({ playground: null, name: 'file://' });
    expect(Host.localhost({ name: 'laptop' }).name).toBe('laptop');
  });

  it('tmpOnLocalhost is localhost with /tmp, and cannot be changed', () => {
    expect(Host.tmpOnLocalhost).toEqual(Host.parse('/tmp'));
    expect(() => {
      (Host.tmpOnLocalhost.shell as string[]).push('-x');
    }).toThrow(TypeError);
  });

  it('ssh builds what parse reads', () => {
    const built = Host.ssh({
      address: 'cluster.example.org',
      user: 'me',
      port: 2222,
      playground: '/home/me/kt',
      shell: ['bash', '-l', '-c'],
      timeout: 30,
      sshOptions: ['-K'],
    });
    expect(built).toEqual(Host.parse(Host.toUri(built)));
    expect(built.name).toBe(
      'ssh://me@cluster.example.org:2222/home/me/kt?shell=bash,-l,-c&ssh-option=-K&timeout=30',
    );
  });

  it.each([
    [() => Host.ssh({ address: '' }), /bad address/],
    [() => Host.ssh({ address: 'a/b' }), /bad address/],
    [() => Host.ssh({ address: 'h', port: 0 }), /bad port 0/],
    [() => Host.ssh({ address: 'h', port: 22.5 }), /bad port 22.5/],
    [() => Host.ssh({ address: 'h', user: '' }), /user is empty/],
    [() => Host.localhost({ playground: 'relative' }), /not an absolute path/],
    [() => Host.localhost({ shell: [] }), /shell must be a non-empty list/],
    [() => Host.localhost({ timeout: 0 }), /timeout must be a positive number/],
  ])('rejects bad options (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});

describe('Host.toUri', () => {
  it('prints localhost as its playground and leaves out defaults', () => {
    expect(Host.toUri(Host.localhost('/tmp/KT'))).toBe('/tmp/KT');
    expect(Host.toUri(Host.localhost({ playground: '/a b/c#d' }))).toBe('/a%20b/c%23d');
  });

  const segment = fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' });
  const arbitraryHost = fc.oneof(
    fc
      .record({
        playground: fc.option(fc.array(segment, { minLength: 1, maxLength: 3 }), { nil: null }),
        shell: fc.option(fc.array(segment, { minLength: 2, maxLength: 3 }), { nil: undefined }),
        timeout: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
      })
      .map(({ playground, shell, timeout }) =>
        Host.localhost({
          playground: playground === null ? null : `/${playground.map(clean).join('/')}`,
          shell,
          timeout,
        }),
      ),
    fc
      .record({
        address: fc.constantFrom('h', 'example.org', '10.0.0.1', '::1'),
        port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null }),
        user: fc.option(segment.map(clean), { nil: null }),
        sshOptions: fc.array(segment, { maxLength: 3 }),
        playground: fc.option(fc.array(segment, { minLength: 1, maxLength: 3 }), { nil: null }),
      })
      .map(({ playground, ...rest }) =>
        Host.ssh({
          ...rest,
          playground: playground === null ? null : `/${playground.map(clean).join('/')}`,
        }),
      ),
  );

  it('round-trips through Host.parse', () => {
    fc.assert(
      fc.property(arbitraryHost, (host) => {
        expect(Host.parse(Host.toUri(host))).toEqual(host);
      }),
    );
  });
});

/** Path segments and user names cannot hold "/" and must not be "." or "..". */
function clean(segment: string): string {
  const s = segment.replaceAll('/', '_');
  return s === '.' || s === '..' ? `${s}x` : s;
}
