import type { ConditionSpec, Host, Volume, VolumeStructure } from '@ketrew/edsl';
import { TransportError } from '../errors.js';
import type { Transport } from '../ports/transport.js';
import { programToShell } from './program-to-shell.js';

export interface ConditionEvaluatorOptions {
  /** The transport of a host. */
  readonly transportFor: (host: Host) => Transport;
  /** Timeout of a `command-returns` command when its host sets none. */
  readonly defaultCommandTimeoutMs: number;
}

/**
 * Evaluates a condition through the hosts' transports: `volume-exists` stats every path of the
 * volume, `volume-size-at-least` sums the sizes of its files (a missing file counts 0),
 * `command-returns` runs the program with the host's shell and compares the exit code, `and`
 * stops at the first false. Errors reaching a host propagate (`TransportError`, recoverable or
 * not); a command that times out is a recoverable `TransportError`.
 */
export class ConditionEvaluator {
  readonly #options: ConditionEvaluatorOptions;

  constructor(options: ConditionEvaluatorOptions) {
    this.#options = options;
  }

  async evaluate(condition: ConditionSpec): Promise<boolean> {
    switch (condition.kind) {
      case 'never':
        return false;
      case 'volume-exists':
        return this.#volumeExists(condition.volume);
      case 'volume-size-at-least':
        return (await this.#volumeSize(condition.volume)) >= condition.bytes;
      case 'command-returns':
        return (
          (await this.#exitCode(condition.host, programToShell(condition.program))) ===
          condition.returns
        );
      case 'and':
        for (const part of condition.conditions) {
          if (!(await this.evaluate(part))) return false;
        }
        return true;
      default:
        return unreachable(condition);
    }
  }

  async #volumeExists(volume: Volume): Promise<boolean> {
    const transport = this.#options.transportFor(volume.host);
    for (const entry of volumeEntries(volume)) {
      const stat = await transport.stat(entry.path);
      if (stat === null) return false;
      if (entry.kind === 'directory' ? stat.kind !== 'directory' : stat.kind === 'directory') {
        return false;
      }
    }
    return true;
  }

  async #volumeSize(volume: Volume): Promise<number> {
    const transport = this.#options.transportFor(volume.host);
    let total = 0;
    for (const entry of volumeEntries(volume)) {
      if (entry.kind === 'directory') continue;
      const stat = await transport.stat(entry.path);
      if (stat !== null) total += stat.size;
    }
    return total;
  }

  async #exitCode(host: Host, script: string): Promise<number | null> {
    const transport = this.#options.transportFor(host);
    const timeoutMs =
      host.timeout === null ? this.#options.defaultCommandTimeoutMs : host.timeout * 1000;
    const result = await transport.run({ argv: [...host.shell, script] }, { timeoutMs });
    if (result.timedOut) {
      throw new TransportError(
        `condition command timed out on ${host.name} after ${timeoutMs} ms`,
        {
          recoverable: true,
          details: { host: host.name, command: script },
        },
      );
    }
    return result.exitCode;
  }
}

/** Every path a volume names, with what it should be. */
export function volumeEntries(
  volume: Volume,
): readonly { readonly path: string; readonly kind: 'file' | 'directory' }[] {
  const entries: { path: string; kind: 'file' | 'directory' }[] = [];
  const walk = (base: string, structure: VolumeStructure): void => {
    const path = `${base.endsWith('/') ? base : `${base}/`}${structure.name}`;
    entries.push({ path, kind: structure.kind });
    if (structure.kind === 'directory') {
      for (const child of structure.children) walk(path, child);
    }
  };
  walk(volume.root, volume.structure);
  return entries;
}

function unreachable(value: never): never {
  throw new Error(`unknown condition ${JSON.stringify(value)}`);
}
