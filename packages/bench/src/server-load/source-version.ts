import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Which code a run measured: the commit, and how many files differed from it (uncommitted). */
export interface SourceVersion {
  readonly commit: string | null;
  readonly uncommittedFiles: number | null;
}

/** The git commit of this repository and its uncommitted files; nulls outside a git checkout. */
export function sourceVersion(): SourceVersion {
  const cwd = dirname(fileURLToPath(import.meta.url));
  const git = (args: readonly string[]): string | null => {
    try {
      return execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch {
      return null;
    }
  };
  const commit = git(['rev-parse', 'HEAD'])?.trim() ?? null;
  const status = commit === null ? null : git(['status', '--porcelain', '--untracked-files=no']);
  return {
    commit,
    uncommittedFiles: status === null ? null : status.split('\n').filter((l) => l !== '').length,
  };
}
