import type { WorkflowSpecInput } from '@ketrew/edsl';
import type {
  ApiClient,
  CommandResponse,
  HelloResponse,
  LogsResponse,
  LogStreamName,
  NodeCountsResponse,
  NodeDetailResponse,
  NodeListResponse,
  NodeQuery,
  QueriesResponse,
  QueryResultResponse,
  StatusResponse,
  SubmitResponse,
} from './api-types.js';
import { HttpConnection, type ConnectionOptions } from './http-connection.js';

const API = '/api/v1';

/** The API client of the CLI: one method per endpoint of docs/api.md. */
export class HttpApiClient implements ApiClient {
  readonly #http: HttpConnection;

  constructor(options: ConnectionOptions) {
    this.#http = new HttpConnection(options);
  }

  close(): void {
    this.#http.close();
  }

  get url(): string {
    return this.#http.options.url;
  }

  hello(): Promise<HelloResponse> {
    return this.#http.json({ method: 'GET', path: '/hello' });
  }

  status(): Promise<StatusResponse> {
    return this.#http.json({ method: 'GET', path: `${API}/status` });
  }

  submit(spec: WorkflowSpecInput): Promise<SubmitResponse> {
    return this.#http.json({ method: 'POST', path: `${API}/workflows`, body: spec });
  }

  listNodes(query: NodeQuery): Promise<NodeListResponse> {
    return this.#http.json({ method: 'GET', path: `${API}/nodes`, query: nodeQuery(query) });
  }

  countNodes(query: NodeQuery): Promise<NodeCountsResponse> {
    return this.#http.json({ method: 'GET', path: `${API}/counts`, query: nodeQuery(query) });
  }

  node(id: string): Promise<NodeDetailResponse> {
    return this.#http.json({ method: 'GET', path: `${API}/nodes/${encodeURIComponent(id)}` });
  }

  logs(
    id: string,
    options: { readonly stream: LogStreamName; readonly offset?: number | undefined },
  ): Promise<LogsResponse> {
    return this.#http.json({
      method: 'GET',
      path: `${API}/nodes/${encodeURIComponent(id)}/logs`,
      query: { stream: options.stream, offset: options.offset },
    });
  }

  queries(id: string): Promise<QueriesResponse> {
    return this.#http.json({
      method: 'GET',
      path: `${API}/nodes/${encodeURIComponent(id)}/queries`,
    });
  }

  query(id: string, name: string): Promise<QueryResultResponse> {
    return this.#http.json({
      method: 'GET',
      path: `${API}/nodes/${encodeURIComponent(id)}/queries/${encodeURIComponent(name)}`,
    });
  }

  kill(ids: readonly string[], options: { readonly recursive: boolean }): Promise<CommandResponse> {
    return this.#http.json({
      method: 'POST',
      path: `${API}/nodes/kill`,
      body: { ids, recursive: options.recursive },
    });
  }

  restart(
    ids: readonly string[],
    options: { readonly subtree: boolean },
  ): Promise<CommandResponse> {
    return this.#http.json({
      method: 'POST',
      path: `${API}/nodes/restart`,
      body: { ids, subtree: options.subtree },
    });
  }
}

function nodeQuery(
  query: NodeQuery,
): Record<string, string | number | readonly string[] | undefined> {
  return {
    filter: query.filter,
    id: query.id,
    status: query.status === undefined ? undefined : query.status.join(','),
    state: query.state === undefined ? undefined : query.state.join(','),
    tag: query.tags,
    name: query.name,
    workflow: query.workflow,
    limit: query.limit,
    after: query.after,
  };
}
