import { invalidArgument } from '../errors.js';
import { Host } from '../host/host.js';
import type { Program } from '../program/program.js';
import { trusted, trustedIf } from '../util/trusted.js';
import type { ConditionSpec } from '../wire/condition-schema.js';
import type { Volume } from './volume.js';

/** When a node counts as done: the wire format's condition, plain data. */
export type Condition = ConditionSpec;

function checkBytes(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0) {
    invalidArgument('Condition.volumeSizeAtLeast', `bytes must be an integer >= 0, got ${bytes}`);
  }
  return bytes;
}

/**
 * Conditions: checked before a node runs (already true → the node is `already-done` and skipped)
 * and after (false → it failed with `did-not-ensure-condition`).
 *
 * @example
 * Condition.and(
 *   Condition.volumeExists(Volume.ofFile('/data/x.bam')),
 *   Condition.commandReturns(Program.sh('samtools quickcheck /data/x.bam'), 0),
 * );
 */
export const Condition = {
  /** Never true: the node always runs, and then fails its check (use `ensures: 'nothing'` to run it without a check). */
  never(): Condition {
    return trusted({ kind: 'never' });
  },

  /** True when every file and directory of the volume exists. */
  volumeExists(volume: Volume): Condition {
    return trustedIf([volume], { kind: 'volume-exists', volume });
  },

  /** True when the volume's files add up to at least `bytes` bytes. */
  volumeSizeAtLeast(volume: Volume, bytes: number): Condition {
    return trustedIf([volume], { kind: 'volume-size-at-least', volume, bytes: checkBytes(bytes) });
  },

  /**
   * True when `program`, run on `options.host` (default `Host.tmpOnLocalhost`), exits with
   * `code`.
   */
  commandReturns(
    program: Program,
    code: number,
    options: { readonly host?: Host | undefined } = {},
  ): Condition {
    if (!Number.isInteger(code)) {
      invalidArgument('Condition.commandReturns', `code must be an integer, got ${code}`);
    }
    const host = options.host ?? Host.tmpOnLocalhost;
    return trustedIf([program, host], { kind: 'command-returns', program, host, returns: code });
  },

  /** True when every condition is (an empty `and` is true). */
  and(...conditions: readonly Condition[]): Condition {
    return trustedIf(conditions, { kind: 'and', conditions: [...conditions] });
  },
} as const;
