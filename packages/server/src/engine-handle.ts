import type { WorkflowSpec } from '@ketrew/edsl';
import type { EngineEvent } from '@ketrew/engine';

/** What `submit` answers: the workflow's id and the ids of the nodes it created. */
export interface SubmissionResult {
  readonly workflowId: string;
  readonly nodeIds: readonly string[];
  /** New nodes merged into equivalent existing nodes: new id → existing id. */
  readonly merged?: Readonly<Record<string, string>> | undefined;
}

/**
 * The slice of the engine runtime the server calls (the runtime `Engine` of @ketrew/engine
 * satisfies it). The server is written against this interface so that it can run without an
 * engine (API-only mode, when another process holds the engine lock) and so that tests can use
 * the real engine or a small double.
 *
 * Contract:
 * - `start()` is called once by the server's `listen()`, `stop()` once by its `close()`, after
 *   the HTTP server stopped accepting requests and the in-flight ones finished. `stop()` flushes
 *   pending writes and leaves running jobs running.
 * - `submit` stores the whole workflow or nothing; it may throw `KetrewError`s
 *   (`invalid-workflow`, `unknown-backend`), which the server turns into 400 responses.
 * - `kill` and `restart` act on ids that exist (the server checks them first).
 * - `status()` returns plain JSON describing the engine (shown under `engine` in /status).
 * - `events`, when present, tells the server at once about changes (live event streams wake
 *   up without waiting for their next poll of the store) and carries the notifications shown by
 *   GET /api/v1/notifications.
 */
export interface EngineHandle {
  start(): Promise<void>;
  stop(): Promise<void>;
  submit(spec: WorkflowSpec): Promise<SubmissionResult>;
  kill(ids: readonly string[], options: { readonly recursive: boolean }): Promise<unknown>;
  restart(ids: readonly string[], options: { readonly subtree: boolean }): Promise<unknown>;
  status(): unknown;
  readonly events?: { subscribe(listener: (event: EngineEvent) => void): () => void } | undefined;
}
