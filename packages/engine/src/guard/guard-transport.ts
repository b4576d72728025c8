import { TransportError } from '../errors.js';
import type { Transport } from '../ports/transport.js';
import { PortLifecycle } from './port-lifecycle.js';

const GUARDED = Symbol.for('ketrew.guarded-transport');

/**
 * Wrap a transport so that it keeps the shared parts of the `Transport` contract: relative paths
 * are refused with a fatal `TransportError` before the plugin sees them, `close()` runs once
 * (after the calls in flight settle) and every call after it throws `ClosedError`. Guarding twice
 * is a no-op.
 *
 * @example
 * const transport = guardTransport(new LocalTransport(Host.localhost));
 */
export function guardTransport(transport: Transport): Transport {
  if (GUARDED in transport) return transport;
  const life = new PortLifecycle(`transport to ${transport.host.name}`, { needsInit: false });
  const withPath = <T>(path: string, fn: () => Promise<T>): Promise<T> =>
    life.use(() => {
      assertAbsolute(path);
      return fn();
    });
  const guarded: Transport & { readonly [GUARDED]: true } = {
    [GUARDED]: true,
    host: transport.host,
    run: (command, options) =>
      life.use(() => {
        if (options?.cwd !== undefined) assertAbsolute(options.cwd);
        return transport.run(command, options);
      }),
    readFile: (path, options) => withPath(path, () => transport.readFile(path, options)),
    writeFile: (path, content, options) =>
      withPath(path, () => transport.writeFile(path, content, options)),
    mkdir: (path) => withPath(path, () => transport.mkdir(path)),
    stat: (path) => withPath(path, () => transport.stat(path)),
    close: () => life.close(() => transport.close()),
  };
  return guarded;
}

function assertAbsolute(path: string): void {
  if (!path.startsWith('/')) {
    throw new TransportError(`path must be absolute, got ${JSON.stringify(path)}`, {
      recoverable: false,
      details: { path },
    });
  }
}
