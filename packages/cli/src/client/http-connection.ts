import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { CliError } from '../errors.js';

/** How to reach a server: what the client part of a profile says. */
export interface ConnectionOptions {
  /** Base URL, e.g. `http://127.0.0.1:8756`; the API is under `/api/v1`. */
  readonly url: string;
  readonly token: string | null;
  /** PEM certificate to trust (a self-signed server). */
  readonly certificate?: string | null | undefined;
  /** Per request. */
  readonly timeoutMs: number;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Path under the base URL, e.g. `/api/v1/status`. */
  readonly path: string;
  /** Query parameters; a list is sent as the parameter repeated. */
  readonly query?:
    Readonly<Record<string, string | number | boolean | readonly string[] | undefined>> | undefined;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  /** For a streaming response (SSE): no timeout once the headers arrived. */
  readonly stream?: boolean | undefined;
}

/**
 * A tiny HTTP(S) client over `node:http`, so a self-signed certificate can be trusted per
 * request. Turns network failures into `CliError('unreachable')` and error responses into
 * `CliError`s carrying the server's message (see `errorFromResponse`).
 */
export class HttpConnection {
  readonly options: ConnectionOptions;
  #ca: string | undefined;
  // Own agents, so that idle keep-alive sockets can be closed at the end instead of keeping the
  // process alive until the server drops them.
  readonly #httpAgent = new HttpAgent({ keepAlive: true });
  readonly #httpsAgent = new HttpsAgent({ keepAlive: true });

  constructor(options: ConnectionOptions) {
    this.options = options;
  }

  /** Close idle connections; later requests open new ones. */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  /** Send a request and parse the JSON answer; throws a `CliError` for any failure. */
  async json<T>(req: HttpRequest): Promise<T> {
    const response = await this.send(req);
    const text = await readBody(response);
    if ((response.statusCode ?? 0) >= 400) throw errorFromResponse(response.statusCode ?? 0, text);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(
        'failure',
        `the server sent an answer that is not JSON: ${text.slice(0, 200)}`,
      );
    }
  }

  /** Send a request and resolve with the response once its headers arrived (status < 400). */
  async send(req: HttpRequest): Promise<IncomingMessage> {
    const url = this.#url(req);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      accept: req.stream ? 'text/event-stream' : 'application/json',
    };
    if (this.options.token !== null) headers['authorization'] = `Bearer ${this.options.token}`;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const requestOptions: RequestOptions & { ca?: string } = {
      method: req.method,
      headers,
      agent: url.protocol === 'https:' ? this.#httpsAgent : this.#httpAgent,
    };
    if (url.protocol === 'https:') {
      const ca = this.#certificate();
      if (ca !== undefined) requestOptions.ca = ca;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = send(url, requestOptions, resolve);
      const timer = setTimeout(() => {
        request.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' }));
      }, this.options.timeoutMs);
      request.on('response', () => clearTimeout(timer));
      request.on('close', () => clearTimeout(timer));
      request.on('error', (error) => reject(this.#networkError(error)));
      if (req.signal !== undefined) {
        if (req.signal.aborted) request.destroy(new Error('aborted'));
        req.signal.addEventListener('abort', () => request.destroy(new Error('aborted')), {
          once: true,
        });
      }
      request.end(body);
    });
    if (req.stream === true && (response.statusCode ?? 0) >= 400) {
      throw errorFromResponse(response.statusCode ?? 0, await readBody(response));
    }
    return response;
  }

  #url(req: HttpRequest): URL {
    const base = this.options.url.endsWith('/') ? this.options.url : `${this.options.url}/`;
    const url = new URL(req.path.replace(/^\//, ''), base);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (Array.isArray(value))
        for (const item of value) url.searchParams.append(key, String(item));
      else if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  #certificate(): string | undefined {
    const path = this.options.certificate;
    if (path === null || path === undefined) return undefined;
    if (this.#ca === undefined) {
      try {
        this.#ca = readFileSync(path, 'utf8');
      } catch (error) {
        throw new CliError('configuration', `cannot read the certificate to trust ${path}`, {
          cause: error,
        });
      }
    }
    return this.#ca;
  }

  #networkError(error: Error & { code?: string }): CliError {
    const where = `the server at ${this.options.url}`;
    const reason = NETWORK_REASONS[error.code ?? ''] ?? error.message;
    const hint =
      error.code === 'ECONNREFUSED'
        ? 'Is it running? Start it with `ketrew start-server --daemonize`.'
        : undefined;
    if (error.message === 'aborted')
      return new CliError('interrupted', 'interrupted', { cause: error });
    return new CliError('unreachable', `cannot reach ${where}: ${reason}`, { cause: error, hint });
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'host unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate not trusted (set client.certificate)',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate not trusted (set client.certificate)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate not trusted (set client.certificate)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not match the host name',
};

/**
 * The `CliError` for an error response, carrying the server's own message from its
 * `{error: {code, message}}` body: 401/403 → `authentication`, 404 → `notFound`, 400/409/422
 * with code `invalid-workflow` → `invalidWorkflow`, anything else → `failure` (prefixed with
 * `server error:` for an internal error of the server).
 */
export function errorFromResponse(status: number, text: string): CliError {
  let code: string | undefined;
  let message: string | undefined;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (typeof body.error?.code === 'string') code = body.error.code;
  } catch {
    message = text.trim().slice(0, 300) || undefined;
  }
  const said = message ?? `HTTP ${status}`;
  const serverCode = code;
  if (status === 401) {
    return new CliError('authentication', `the server refused the token: ${said}`, {
      hint: 'Check client.token in the configuration (`ketrew print-configuration`).',
      serverCode,
    });
  }
  if (status === 403) return new CliError('authentication', `not allowed: ${said}`, { serverCode });
  if (status === 404) return new CliError('notFound', said, { serverCode });
  if (code === 'invalid-workflow' || code === 'unknown-backend') {
    return new CliError('invalidWorkflow', `the server rejected the workflow: ${said}`, {
      serverCode,
    });
  }
  // An unexpected failure of the server says so; its refusals (503 engine-unavailable, 409, …)
  // are shown as the server words them.
  if (status >= 500 && (code === undefined || code === 'internal-error')) {
    return new CliError('failure', `server error: ${said}`, { serverCode });
  }
  return new CliError('failure', said, { serverCode });
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}
