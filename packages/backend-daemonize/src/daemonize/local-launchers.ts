import type { Transport } from '@ketrew/engine';
import { LocalTransport } from '../local-transport.js';
import { PersistentShell } from '../local/persistent-shell.js';
import { PERSISTENT_LAUNCHER_PRELUDE } from './daemonize-launcher.js';
import { SPARE_LAUNCHER_PRELUDE, WarmSpares } from './warm-spares.js';

/** A persistent launcher shell, and its warm spares (`null` when there are none). */
export interface LocalLauncher {
  readonly shell: PersistentShell;
  readonly spares: WarmSpares | null;
}

/**
 * The persistent launchers of one daemonize backend: one long-lived shell per shell program and
 * environment on this machine (in practice one), made at the first start that needs it, with
 * `spares` warm spares each.
 */
export class LocalLaunchers {
  readonly #spares: number;
  readonly #launchers = new Map<string, LocalLauncher>();

  constructor(options: { readonly spares: number }) {
    this.#spares = options.spares;
  }

  /**
   * The launcher for jobs started through `transport`, or `null` when it cannot take them: the
   * transport is not a `LocalTransport` (whose environment the jobs must get), or the host's
   * shell is not of the form `[program, '-c']` (a program that reads commands on stdin).
   */
  for(transport: Transport, timeoutMs: number): LocalLauncher | null {
    if (!(transport instanceof LocalTransport)) return null;
    const [program, flag, ...rest] = transport.host.shell;
    if (program === undefined || flag !== '-c' || rest.length > 0) return null;
    const key = JSON.stringify([program, transport.env ?? {}, timeoutMs]);
    let launcher = this.#launchers.get(key);
    if (launcher === undefined) {
      const shell = new PersistentShell({
        argv: [program],
        env: transport.env,
        prelude: `${PERSISTENT_LAUNCHER_PRELUDE}\n${SPARE_LAUNCHER_PRELUDE}`,
        timeoutMs,
      });
      const spares = this.#spares > 0 ? new WarmSpares(shell, this.#spares) : null;
      launcher = { shell, spares };
      this.#launchers.set(key, launcher);
    }
    return launcher;
  }

  /** End every launcher and let its spares go; the jobs they started keep running. */
  async close(): Promise<void> {
    const launchers = [...this.#launchers.values()];
    this.#launchers.clear();
    await Promise.all(launchers.map((launcher) => launcher.spares?.close()));
    for (const launcher of launchers) launcher.shell.close();
  }
}
