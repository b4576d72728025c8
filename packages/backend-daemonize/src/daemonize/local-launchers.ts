import type { Transport } from '@ketrew/engine';
import { LocalTransport } from '../local-transport.js';
import { PersistentShell } from '../local/persistent-shell.js';
import { PERSISTENT_LAUNCHER_PRELUDE } from './daemonize-launcher.js';

/**
 * The persistent launchers of one daemonize backend: one long-lived shell per shell program and
 * environment on this machine (in practice one), made at the first start that needs it.
 */
export class LocalLaunchers {
  readonly #shells = new Map<string, PersistentShell>();

  /**
   * The launcher for jobs started through `transport`, or `null` when it cannot take them: the
   * transport is not a `LocalTransport` (whose environment the jobs must get), or the host's
   * shell is not of the form `[program, '-c']` (a program that reads commands on stdin).
   */
  for(transport: Transport, timeoutMs: number): PersistentShell | null {
    if (!(transport instanceof LocalTransport)) return null;
    const [program, flag, ...rest] = transport.host.shell;
    if (program === undefined || flag !== '-c' || rest.length > 0) return null;
    const key = JSON.stringify([program, transport.env ?? {}, timeoutMs]);
    let shell = this.#shells.get(key);
    if (shell === undefined) {
      shell = new PersistentShell({
        argv: [program],
        env: transport.env,
        prelude: PERSISTENT_LAUNCHER_PRELUDE,
        timeoutMs,
      });
      this.#shells.set(key, shell);
    }
    return shell;
  }

  /** End every launcher; the jobs they started keep running. */
  close(): void {
    for (const shell of this.#shells.values()) shell.close();
    this.#shells.clear();
  }
}
