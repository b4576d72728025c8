/** What one job holds while it starts or runs. */
export interface SlotClaim {
  readonly backend: string;
  /** Host whose CPUs the job uses, or `null` when it uses none of a host we count. */
  readonly host: string | null;
  readonly cpus: number;
}

export interface LimiterLimits {
  /** Jobs per backend at once; `null` = no limit. */
  maxRunning(backend: string): number | null;
  /** CPUs of a host; `null` = no limit. */
  hostCpus(host: string): number | null;
}

/**
 * Counts the jobs of each backend and the CPUs in use on each host. A job asking for more CPUs
 * than a host has may still run, alone on it, so no node waits forever.
 */
export class ConcurrencyLimiter {
  readonly #limits: LimiterLimits;
  readonly #byBackend = new Map<string, number>();
  readonly #cpusByHost = new Map<string, number>();
  readonly #holders = new Map<string, SlotClaim>();

  constructor(limits: LimiterLimits) {
    this.#limits = limits;
  }

  canAcquire(claim: SlotClaim): boolean {
    const max = this.#limits.maxRunning(claim.backend);
    if (max !== null && (this.#byBackend.get(claim.backend) ?? 0) >= max) return false;
    if (claim.host === null) return true;
    const cpus = this.#limits.hostCpus(claim.host);
    if (cpus === null) return true;
    const used = this.#cpusByHost.get(claim.host) ?? 0;
    return used === 0 || used + claim.cpus <= cpus;
  }

  /** Take the slot for `nodeId` even past the limits (jobs already running after a restart). */
  acquire(nodeId: string, claim: SlotClaim): void {
    if (this.#holders.has(nodeId)) return;
    this.#holders.set(nodeId, claim);
    this.#byBackend.set(claim.backend, (this.#byBackend.get(claim.backend) ?? 0) + 1);
    if (claim.host !== null) {
      this.#cpusByHost.set(claim.host, (this.#cpusByHost.get(claim.host) ?? 0) + claim.cpus);
    }
  }

  /** Give back the slot of `nodeId`; returns whether it held one. */
  release(nodeId: string): boolean {
    const claim = this.#holders.get(nodeId);
    if (claim === undefined) return false;
    this.#holders.delete(nodeId);
    this.#byBackend.set(claim.backend, (this.#byBackend.get(claim.backend) ?? 1) - 1);
    if (claim.host !== null) {
      this.#cpusByHost.set(
        claim.host,
        (this.#cpusByHost.get(claim.host) ?? claim.cpus) - claim.cpus,
      );
    }
    return true;
  }

  holds(nodeId: string): boolean {
    return this.#holders.has(nodeId);
  }

  /** Jobs holding a slot, per backend. */
  usage(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#byBackend);
  }

  /** CPUs in use, per host. */
  hostUsage(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#cpusByHost);
  }
}
