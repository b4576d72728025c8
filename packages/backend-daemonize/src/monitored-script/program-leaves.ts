import type { ProgramSpec } from '@ketrew/edsl';
import { shellQuoteArgv } from './shell-quote.js';

/** One leaf command of a program, as the monitored script runs and logs it. */
export interface ProgramLeaf {
  /** `cmd-1`, `cmd-2`, … in the order the commands run (1-based). */
  readonly label: string;
  readonly kind: 'sh' | 'exec';
  /**
   * The command as shell text: an `sh` leaf's string as written, an `exec` leaf's argv with every
   * argument single-quoted. This is what the log's `before-cmd` line records.
   */
  readonly command: string;
}

/**
 * The leaf commands of a program in running order: nested `and`s are flattened, so
 * `and(sh a, and(exec [b], sh c))` gives `cmd-1` = a, `cmd-2` = 'b', `cmd-3` = c.
 */
export function programLeaves(program: ProgramSpec): readonly ProgramLeaf[] {
  const leaves: ProgramLeaf[] = [];
  const visit = (p: ProgramSpec): void => {
    switch (p.kind) {
      case 'sh':
        leaves.push({ label: `cmd-${leaves.length + 1}`, kind: 'sh', command: p.command });
        return;
      case 'exec':
        leaves.push({
          label: `cmd-${leaves.length + 1}`,
          kind: 'exec',
          command: shellQuoteArgv(p.argv),
        });
        return;
      case 'and':
        p.programs.forEach(visit);
        return;
      default: {
        const unknown: never = p;
        throw new Error(`unknown program kind ${JSON.stringify(unknown)}`);
      }
    }
  };
  visit(program);
  return leaves;
}
