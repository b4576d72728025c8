import { EDSL_ERROR_CODES, invalidArgument, SubmitError } from '../errors.js';
import type { EdslErrorCode, ServerErrorBody } from '../errors.js';
import type { WorkflowSpec } from '../wire/workflow-spec-schema.js';

/** Where and how to submit. */
export interface SubmitOptions {
  /** The server's base URL, e.g. `http://127.0.0.1:8756` (a trailing `/` is fine). */
  readonly url: string;
  /** A bearer token with the `submit` scope. Default: none (servers without auth). */
  readonly token?: string | undefined;
  /** The `fetch` to use (e.g. one trusting a self-signed certificate). Default: the global one. */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Aborts the request; the abort reason is thrown as is. */
  readonly signal?: AbortSignal | undefined;
}

/** What the server answered, plus the spec that was sent. */
export interface SubmitResult {
  /** The submission's id on the server. */
  readonly workflowId: string;
  /** The id of the root node as stored. */
  readonly rootId: string;
  /**
   * The id of each node as stored, in the order of `spec.nodes`. A node merged into an
   * equivalent existing node (same condition) has that node's id.
   */
  readonly nodeIds: readonly string[];
  /** Submitted id → id of the existing node it was merged into. */
  readonly merged: Readonly<Record<string, string>>;
  readonly spec: WorkflowSpec;
}

/** The endpoint of submissions under a server's base URL. */
export function workflowsEndpoint(url: string): string {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    return invalidArgument('submit', `bad server URL ${JSON.stringify(url)}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    invalidArgument(
      'submit',
      `the server URL must be http:// or https://, got ${JSON.stringify(url)}`,
    );
  }
  return `${base.href.replace(/\/+$/, '')}/api/v1/workflows`;
}

/**
 * Posts a workflow to a server: `POST <url>/api/v1/workflows`, the JSON body being the spec,
 * `Authorization: Bearer <token>`. Resolves with the ids the server gave; throws a `SubmitError`
 * whose `code` says why it failed (`submit-unreachable`, `submit-unauthorized`,
 * `submit-forbidden`, `submit-rejected` with the server's `{code, message, details}`,
 * `submit-server-error`, `submit-bad-response`) and whose message names the URL.
 */
export async function submitWorkflowSpec(
  spec: WorkflowSpec,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const endpoint = workflowsEndpoint(options.url);
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await doFetch(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify(spec),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (options.signal?.aborted === true) throw options.signal.reason;
    throw new SubmitError(
      EDSL_ERROR_CODES.submitUnreachable,
      `Cannot reach the Ketrew server at ${endpoint}: ${networkProblem(error)}`,
      { url: endpoint, cause: error },
    );
  }
  const text = await response.text();
  const body = parseJson(text);
  if (!response.ok) throw failure(endpoint, response, body, options.token !== undefined);
  const result = submitResultOf(body, spec);
  if (result === null) {
    throw new SubmitError(
      EDSL_ERROR_CODES.submitBadResponse,
      `The server at ${endpoint} answered ${response.status} without {workflowId, nodeIds}: ${text.slice(0, 200)}`,
      { url: endpoint, status: response.status },
    );
  }
  return result;
}

function failure(
  endpoint: string,
  response: Response,
  body: unknown,
  hadToken: boolean,
): SubmitError {
  const serverError = serverErrorOf(body);
  const said = serverError === null ? '' : `: ${serverError.message}`;
  const status = `${response.status}${serverError === null ? '' : ` ${serverError.code}`}`;
  let code: EdslErrorCode;
  let message: string;
  if (response.status === 401) {
    code = EDSL_ERROR_CODES.submitUnauthorized;
    message = hadToken
      ? `The server at ${endpoint} refused the token (${status})${said}`
      : `The server at ${endpoint} needs a token (${status})${said}`;
  } else if (response.status === 403) {
    code = EDSL_ERROR_CODES.submitForbidden;
    message = `The server at ${endpoint} does not allow this submission (${status})${said}`;
  } else if (response.status >= 400 && response.status < 500) {
    code = EDSL_ERROR_CODES.submitRejected;
    message = `The server at ${endpoint} rejected the workflow (${status})${said}${detailLines(serverError)}`;
  } else {
    code = EDSL_ERROR_CODES.submitServerError;
    message = `The server at ${endpoint} could not take the workflow (${status})${said}`;
  }
  return new SubmitError(code, message, { url: endpoint, status: response.status, serverError });
}

/** The `errors: [{pointer, message}]` of a validation failure, one per line. */
function detailLines(serverError: ServerErrorBody | null): string {
  const errors = (serverError?.details as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return '';
  return errors
    .filter(
      (e): e is { pointer: string; message: string } =>
        typeof e?.pointer === 'string' && typeof e?.message === 'string',
    )
    .map((e) => `\n  ${e.pointer}: ${e.message}`)
    .join('');
}

function serverErrorOf(body: unknown): ServerErrorBody | null {
  const error = (body as { error?: unknown } | null)?.error as Partial<ServerErrorBody> | undefined;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return null;
  return { code: error.code, message: error.message, details: error.details ?? null };
}

function submitResultOf(body: unknown, spec: WorkflowSpec): SubmitResult | null {
  if (typeof body !== 'object' || body === null) return null;
  const { workflowId, nodeIds, rootId, merged } = body as Record<string, unknown>;
  if (typeof workflowId !== 'string') return null;
  if (!Array.isArray(nodeIds) || !nodeIds.every((id) => typeof id === 'string')) return null;
  const rootIndex = spec.nodes.findIndex((n) => n.id === spec.root);
  return {
    workflowId,
    rootId: typeof rootId === 'string' ? rootId : (nodeIds[rootIndex] ?? spec.root),
    nodeIds,
    merged: typeof merged === 'object' && merged !== null ? (merged as Record<string, string>) : {},
    spec,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

const NETWORK_PROBLEMS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  CERT_HAS_EXPIRED: 'the TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate (pass a fetch that trusts it)',
};

/** A short reason from fetch's error (Node puts the system error in `cause`). */
function networkProblem(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause as
    { code?: unknown; message?: unknown; errors?: readonly { code?: unknown }[] } | undefined;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  if (typeof code === 'string') return `${NETWORK_PROBLEMS[code] ?? 'network error'} (${code})`;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
