import type { Host } from '@ketrew/edsl';
import type { EngineNode } from '../core/engine-node.js';
import type { NodeState } from '../core/node-state.js';
import type { LimiterLimits, SlotClaim } from './concurrency-limiter.js';
import { backendSettings, type EngineConfig } from './engine-config.js';

/**
 * The slot a node's job needs, or `null` when it runs nothing itself (no-operation, or merged
 * into an equivalent node). The host is `make.host` when its backend counts against hosts.
 */
export function slotClaimOf(node: EngineNode, config: EngineConfig): SlotClaim | null {
  const make = node.spec.make;
  if (node.equivalentTo !== null || make.backend === 'no-operation') return null;
  const host = 'host' in make ? (make.host as Host | undefined) : undefined;
  const counted = host !== undefined && backendSettings(config, make.backend).countsAgainstHost;
  return {
    backend: make.backend,
    host: counted ? host.name : null,
    cpus: node.spec.resources.cpus,
  };
}

/** States in which a job holds its slot. */
export function holdsSlot(state: NodeState): boolean {
  return state.kind === 'starting' || state.kind === 'running' || state.kind === 'killing';
}

/**
 * The limits of the configuration. A host's CPUs: `hostCpus[name]` if set, else `localHostCpus`
 * for a localhost connection, else `remoteHostCpus`. Hosts are learnt from the nodes seen.
 */
export class ConfiguredLimits implements LimiterLimits {
  readonly #config: EngineConfig;
  readonly #localHosts = new Set<string>();
  readonly #maxRunning = new Map<string, number | null>();

  constructor(config: EngineConfig) {
    this.#config = config;
  }

  learnHost(node: EngineNode): void {
    const make = node.spec.make;
    const host = 'host' in make ? (make.host as Host | undefined) : undefined;
    if (host?.connection.kind === 'localhost') this.#localHosts.add(host.name);
  }

  maxRunning(backend: string): number | null {
    let max = this.#maxRunning.get(backend);
    if (max === undefined) {
      max = backendSettings(this.#config, backend).maxRunning;
      this.#maxRunning.set(backend, max);
    }
    return max;
  }

  hostCpus(host: string): number | null {
    const own = this.#config.hostCpus[host];
    if (own !== undefined) return own;
    return this.#localHosts.has(host) ? this.#config.localHostCpus : this.#config.remoteHostCpus;
  }
}
