import { cpus } from 'node:os';
import { DEFAULT_CORE_CONFIG, type CoreConfig } from '../core/core-config.js';

/** Per-backend settings; every field falls back to the engine-wide default. */
export interface BackendSettings {
  /** Jobs of this backend starting or running at once; `null` = no limit. */
  readonly maxRunning?: number | null | undefined;
  /** Milliseconds between two batched polls of this backend. */
  readonly pollIntervalMs?: number | undefined;
  /** `start`, `kill` and `find` calls in flight at once. */
  readonly maxConcurrentCalls?: number | undefined;
  /**
   * Whether this backend's jobs use the CPUs of their `make.host` (true for daemonize and SSH;
   * false for schedulers, whose host is only where jobs are submitted). Default: true, except
   * for `lsf`, `pbs` and `slurm`.
   */
  readonly countsAgainstHost?: boolean | undefined;
}

/**
 * The runtime's knobs. Every key has a default (see `DEFAULT_ENGINE_CONFIG`); pass only what you
 * change. Documented in docs/engine-runtime.md.
 */
export interface EngineConfig {
  readonly core: CoreConfig;
  /** Default milliseconds between two batched polls of a backend. Default 2,000. */
  readonly pollIntervalMs: number;
  /** Default limit of jobs starting or running per backend; `null` = no limit (the default). */
  readonly maxRunningPerBackend: number | null;
  /** Default `start`/`kill`/`find` calls in flight per backend. Default 16. */
  readonly maxConcurrentCallsPerBackend: number;
  readonly backends: Readonly<Record<string, BackendSettings>>;
  /** CPUs of a local host (connection `localhost`). Default: `os.cpus().length`. */
  readonly localHostCpus: number;
  /** CPUs of any other host; `null` = no limit (the default). */
  readonly remoteHostCpus: number | null;
  /** CPUs per host name, overriding the two defaults above; `null` = no limit. */
  readonly hostCpus: Readonly<Record<string, number | null>>;
  /** Timeout of a condition's command when its host sets none. Default 60,000 ms. */
  readonly hostCommandTimeoutMs: number;
  /** Condition evaluations in flight at once. Default 16. */
  readonly maxConcurrentConditionChecks: number;
  /** How often passive nodes no active node can reach are cleaned up. Default 10 minutes. */
  readonly orphanCheckIntervalMs: number;
  /** How often the store's command queue is read when the engine is idle. Default 1,000 ms. */
  readonly commandQueueIntervalMs: number;
  /**
   * At start, how long after a node's last change the engine waits before looking for the job
   * of a node caught `starting` (or killing one whose start had no answer): a start call of the
   * previous process may still be landing. Default 30,000 ms.
   */
  readonly recoveryGraceMs: number;
  /**
   * Events handled in one tick at most (the rest go to the next tick). Default 2,000: small
   * enough that what a tick allocates dies young (a 100,000-node fan-out runs about 35% faster
   * than with 50,000), large enough that one transaction carries hundreds of changes.
   */
  readonly maxEventsPerTick: number;
  /** Backoff of a failed store write: min(base·2^(n-1), max). Defaults 200 ms, 30 s. */
  readonly storeRetryBaseMs: number;
  readonly storeRetryMaxMs: number;
}

/** What callers pass: any subset, `core` included. */
export type EngineConfigInput = Partial<Omit<EngineConfig, 'core'>> & {
  readonly core?: Partial<CoreConfig> | undefined;
};

const SCHEDULER_BACKENDS: ReadonlySet<string> = new Set(['lsf', 'pbs', 'slurm']);

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  core: DEFAULT_CORE_CONFIG,
  pollIntervalMs: 2_000,
  maxRunningPerBackend: null,
  maxConcurrentCallsPerBackend: 16,
  backends: {},
  localHostCpus: Math.max(1, cpus().length),
  remoteHostCpus: null,
  hostCpus: {},
  hostCommandTimeoutMs: 60_000,
  maxConcurrentConditionChecks: 16,
  orphanCheckIntervalMs: 600_000,
  commandQueueIntervalMs: 1_000,
  recoveryGraceMs: 30_000,
  maxEventsPerTick: 2_000,
  storeRetryBaseMs: 200,
  storeRetryMaxMs: 30_000,
};

/** Fill in defaults. */
export function resolveEngineConfig(input: EngineConfigInput = {}): EngineConfig {
  const defined = Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as EngineConfigInput;
  return {
    ...DEFAULT_ENGINE_CONFIG,
    ...defined,
    core: { ...DEFAULT_CORE_CONFIG, ...(input.core ?? {}) },
  };
}

/** The settings of one backend with every default filled in. */
export function backendSettings(
  config: EngineConfig,
  backend: string,
): Required<{ [K in keyof BackendSettings]-?: Exclude<BackendSettings[K], undefined> }> {
  const own = config.backends[backend] ?? {};
  return {
    maxRunning: own.maxRunning === undefined ? config.maxRunningPerBackend : own.maxRunning,
    pollIntervalMs: own.pollIntervalMs ?? config.pollIntervalMs,
    maxConcurrentCalls: own.maxConcurrentCalls ?? config.maxConcurrentCallsPerBackend,
    countsAgainstHost: own.countsAgainstHost ?? !SCHEDULER_BACKENDS.has(backend),
  };
}
