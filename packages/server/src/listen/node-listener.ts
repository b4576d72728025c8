import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { createAdaptorServer } from '@hono/node-server';
import type { ResolvedServerConfig, TlsConfig } from '../server-config.js';
import { ConnectionTracker } from './connection-tracker.js';
import { ensureSelfSignedCertificate } from './self-signed-certificate.js';

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8756` (the actual port when the configured one was 0). */
  readonly url: string;
  /** Graceful stop (see `KetrewServer.listen`); idempotent, later calls wait for the first. */
  close(): Promise<void>;
}

/** Serve `fetch` on the configured address with @hono/node-server; see `KetrewServer.listen`. */
export async function listenWithNode(options: {
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly config: ResolvedServerConfig;
  readonly onClosing: () => void;
  readonly onClosed: () => Promise<void>;
}): Promise<RunningServer> {
  const { config } = options;
  const tls = config.tls === null ? null : await loadTls(config.tls);
  const server = (
    tls === null
      ? createAdaptorServer({ fetch: options.fetch })
      : createAdaptorServer({
          fetch: options.fetch,
          createServer: createHttpsServer,
          serverOptions: { cert: tls.cert, key: tls.key },
        })
  ) as Server;
  const connections = new ConnectionTracker(server, { tls: tls !== null });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `${tls === null ? 'http' : 'https'}://${host}:${address.port}`,
    close: () => {
      closing ??= (async () => {
        options.onClosing();
        await drain(server, connections, config.shutdownTimeoutMs);
        await options.onClosed();
      })();
      return closing;
    },
  };
}

/**
 * Stop accepting connections and wait for the open ones: idle connections are closed at once,
 * busy ones when their last response is done; past `timeoutMs` the rest are cut.
 */
async function drain(
  server: Server,
  connections: ConnectionTracker,
  timeoutMs: number,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  connections.drain();
  const deadline = setTimeout(() => connections.destroyAll(), timeoutMs);
  try {
    await closed;
  } finally {
    clearTimeout(deadline);
  }
}

async function loadTls(tls: TlsConfig): Promise<{ readonly cert: string; readonly key: string }> {
  const files =
    tls.kind === 'files'
      ? { certificate: tls.certificate, key: tls.key }
      : await ensureSelfSignedCertificate(tls.directory);
  const [cert, key] = await Promise.all([
    readFile(files.certificate, 'utf8'),
    readFile(files.key, 'utf8'),
  ]);
  return { cert, key };
}
