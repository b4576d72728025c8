import type { NodeSpec, WorkflowSpecInput } from '@ketrew/edsl';
import type { NodeState, SimpleStatus } from '@ketrew/engine';

/*
 * What the server's HTTP API answers (docs/api.md), as far as the CLI reads it. The CLI is a
 * client like any other: it depends on the documented JSON, not on the server's code.
 */

export interface ApiNode {
  readonly id: string;
  readonly workflowId: string;
  readonly spec: NodeSpec;
  readonly state: NodeState;
  readonly attempt: number;
  readonly successiveErrors: number;
  readonly equivalentTo: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly simpleStatus: SimpleStatus;
}

export interface ApiHistoryEntry {
  readonly nodeId: string;
  readonly attempt: number;
  readonly time: number;
  readonly state: NodeState;
  readonly message: string | null;
}

export interface NodeListResponse {
  readonly nodes: readonly ApiNode[];
  readonly next: string | null;
  readonly total: number;
}

export type StatusCounts = Readonly<Record<SimpleStatus, number>>;

export interface NodeCountsResponse {
  readonly counts: StatusCounts;
  readonly total: number;
}

export interface NodeEdges {
  readonly dependsOn: readonly string[];
  readonly onSuccessActivate: readonly string[];
  readonly onFailureActivate: readonly string[];
  readonly dependedOnBy: readonly string[];
  readonly activatedOnSuccessOf: readonly string[];
  readonly activatedOnFailureOf: readonly string[];
}

export interface NodeDetailResponse {
  readonly node: ApiNode;
  readonly history: readonly ApiHistoryEntry[];
  readonly edges: NodeEdges;
}

export type LogStreamName = 'stdout' | 'stderr' | 'log' | 'script';

export interface LogsResponse {
  readonly nodeId: string;
  readonly attempt: number;
  readonly backend: string;
  readonly stream: LogStreamName;
  readonly offset: number;
  readonly nextOffset: number;
  readonly content: string;
}

export interface QueriesResponse {
  readonly nodeId: string;
  readonly attempt: number;
  readonly backend: string;
  readonly queries: readonly { readonly name: string; readonly description: string }[];
}

export interface QueryResultResponse {
  readonly nodeId: string;
  readonly attempt: number;
  readonly backend: string;
  readonly name: string;
  readonly output: string;
}

export interface SubmitResponse {
  readonly workflowId: string;
  readonly rootId: string;
  readonly nodeIds: readonly string[];
  /** New node id → the existing equivalent node it was merged into. */
  readonly merged: Readonly<Record<string, string>>;
}

export interface CommandResponse {
  readonly ids: readonly string[];
  readonly via: 'engine' | 'queue';
  readonly commandId: number | null;
  readonly result?: unknown;
}

export interface HelloResponse {
  readonly ok: true;
  readonly name: 'ketrew';
  readonly version: string;
}

export interface StatusResponse {
  readonly version: string;
  readonly startedAt: number;
  readonly uptimeSeconds: number;
  readonly readOnly: boolean;
  readonly mode: 'engine' | 'api-only';
  readonly counts: StatusCounts;
  readonly total: number;
  readonly engine: unknown;
  readonly you: { readonly name: string; readonly scopes: readonly string[] };
}

/** Which nodes `list` asks for (GET /nodes query parameters). */
export interface NodeQuery {
  readonly filter?: string | undefined;
  /** Id prefix. */
  readonly id?: string | undefined;
  readonly status?: readonly string[] | undefined;
  readonly state?: readonly string[] | undefined;
  /** The node has every one of these tags. */
  readonly tags?: readonly string[] | undefined;
  readonly name?: string | undefined;
  readonly workflow?: string | undefined;
  readonly limit?: number | undefined;
  readonly after?: string | undefined;
}

/** Everything the CLI asks the server; `HttpApiClient` implements it over HTTP. */
export interface ApiClient {
  hello(): Promise<HelloResponse>;
  status(): Promise<StatusResponse>;
  submit(spec: WorkflowSpecInput): Promise<SubmitResponse>;
  listNodes(query: NodeQuery): Promise<NodeListResponse>;
  countNodes(query: NodeQuery): Promise<NodeCountsResponse>;
  node(id: string): Promise<NodeDetailResponse>;
  logs(
    id: string,
    options: { readonly stream: LogStreamName; readonly offset?: number | undefined },
  ): Promise<LogsResponse>;
  queries(id: string): Promise<QueriesResponse>;
  query(id: string, name: string): Promise<QueryResultResponse>;
  kill(ids: readonly string[], options: { readonly recursive: boolean }): Promise<CommandResponse>;
  restart(ids: readonly string[], options: { readonly subtree: boolean }): Promise<CommandResponse>;
  /** Optional: release connections (called when the command ends). */
  close?(): void;
}
