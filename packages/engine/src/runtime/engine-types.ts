import type { Backend } from '../ports/backend.js';
import type { Store } from '../ports/store.js';
import type { TransportProvider } from '../ports/transport.js';
import type { Clock } from './clock.js';
import type { EngineConfigInput } from './engine-config.js';

export interface EngineOptions {
  /** Where everything is kept; the engine calls `migrate()` at `start()` and never closes it. */
  readonly store: Store;
  /** One per `make.backend` name; `no-operation` needs none. */
  readonly backends: readonly Backend[];
  /** Transports for the hosts of conditions. Required as soon as a node has a condition. */
  readonly transports?: TransportProvider | undefined;
  /** Default: the wall clock. */
  readonly clock?: Clock | undefined;
  readonly config?: EngineConfigInput | undefined;
  /** New workflow ids. Default: `crypto.randomUUID()`. */
  readonly newWorkflowId?: (() => string) | undefined;
}

export type EnginePhase = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface SubmitResult {
  readonly workflowId: string;
  readonly nodeIds: readonly string[];
  /** New nodes merged into equivalent existing nodes: new id → existing id. */
  readonly merged: Readonly<Record<string, string>>;
}

/** A snapshot of what the engine is doing, for `ketrew status` and the server's status page. */
export interface EngineStatus {
  readonly phase: EnginePhase;
  /** Unfinished nodes in memory, by state. */
  readonly nodes: Readonly<Record<string, number>>;
  /** Jobs holding a slot, per backend, and CPUs in use per host. */
  readonly slots: Readonly<Record<string, number>>;
  readonly hostCpus: Readonly<Record<string, number>>;
  /** Nodes ready to start, waiting for a slot. */
  readonly waitingForSlot: number;
  readonly watched: Readonly<Record<string, number>>;
  readonly polls: Readonly<Record<string, number>>;
  readonly pendingEvents: number;
  readonly commandsInFlight: number;
  readonly wakeUps: number;
  readonly ticks: number;
  readonly transitions: number;
  /** Changes in memory the store does not have yet (0 between ticks). */
  readonly lastError: string | null;
}
