import type { WorkflowSpecInput } from '@ketrew/edsl';
import {
  Engine,
  FakeBackend,
  MemoryStore,
  type EngineConfigInput,
  type FakeJobScript,
  type StartContext,
} from '@ketrew/engine';
import { createMemoryAuthenticator } from '../../src/auth/memory-authenticator.js';
import type { Scope } from '../../src/auth/scopes.js';
import { generateToken } from '../../src/auth/token-hash.js';
import { createServer, type KetrewServer } from '../../src/create-server.js';
import type { ServerConfig } from '../../src/server-config.js';

export type Role = 'admin' | 'reader' | 'submitter' | 'operator';

const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  admin: ['admin'],
  reader: ['read'],
  submitter: ['submit'],
  operator: ['read', 'operate'],
};

export interface TestServer {
  readonly url: string;
  readonly store: MemoryStore;
  readonly engine: Engine | null;
  readonly backend: FakeBackend;
  readonly server: KetrewServer;
  readonly tokens: Readonly<Record<Role, string>>;
  /** JSON request with the admin token unless `token` says otherwise (`null`: none). */
  api(
    path: string,
    options?: {
      method?: string;
      body?: unknown;
      token?: string | null;
      headers?: Record<string, string>;
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON freely
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Run a real Engine (default true); false = API-only mode. */
  readonly engine?: boolean | undefined;
  readonly store?: MemoryStore | undefined;
  readonly config?: ServerConfig | undefined;
  /** What each FakeBackend job does. Default: succeed after 30 ms. */
  readonly script?: ((ctx: StartContext) => FakeJobScript) | undefined;
  readonly engineConfig?: EngineConfigInput | undefined;
  /** The server's clock. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/**
 * A real server on 127.0.0.1 (port 0) over a MemoryStore, with the real Engine and a
 * FakeBackend named `fake` (unless API-only), and one token per role.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = options.store ?? (await MemoryStore.create());
  const backend = new FakeBackend({ script: options.script ?? (() => ({ duration: 30 })) });
  const engine =
    options.engine === false
      ? null
      : new Engine({
          store,
          backends: [backend],
          config: { pollIntervalMs: 20, commandQueueIntervalMs: 50, ...options.engineConfig },
        });
  const tokens = {
    admin: generateToken(),
    reader: generateToken(),
    submitter: generateToken(),
    operator: generateToken(),
  };
  const auth = createMemoryAuthenticator(
    (Object.keys(tokens) as Role[]).map((role) => ({
      name: role,
      token: tokens[role],
      scopes: ROLE_SCOPES[role],
    })),
  );
  const server = createServer({
    store,
    engine,
    backends: [backend],
    auth,
    config: { port: 0, eventPollIntervalMs: 50, ...options.config },
    now: options.now,
  });
  const running = await server.listen();
  return {
    url: running.url,
    store,
    engine,
    backend,
    server,
    tokens,
    close: () => running.close(),
    async api(path, requestOptions = {}) {
      const headers = new Headers(requestOptions.headers);
      const token = requestOptions.token === undefined ? tokens.admin : requestOptions.token;
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      if (requestOptions.body !== undefined) headers.set('content-type', 'application/json');
      const response = await fetch(`${running.url}${path}`, {
        method: requestOptions.method ?? (requestOptions.body === undefined ? 'GET' : 'POST'),
        headers,
        ...(requestOptions.body === undefined
          ? {}
          : {
              body:
                typeof requestOptions.body === 'string'
                  ? requestOptions.body
                  : JSON.stringify(requestOptions.body),
            }),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      return { status: response.status, body, headers: response.headers };
    },
  };
}

/**
 * A workflow of FakeBackend nodes, its root active (as the EDSL's `submit` makes it): each entry
 * an id and what differs from the defaults.
 */
export function fakeWorkflow(
  root: string,
  nodes: readonly (Partial<WorkflowSpecInput['nodes'][number]> & { id: string })[],
): WorkflowSpecInput {
  return {
    version: 1,
    root,
    nodes: nodes.map((node) => ({
      name: node.id,
      make: { backend: 'fake' },
      active: node.id === root,
      ...node,
    })),
  };
}

/** Poll `check` until it returns a value other than undefined (generous timeout). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
