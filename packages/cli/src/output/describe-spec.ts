import type {
  BuildProcessSpec,
  ConditionSpec,
  Host,
  ProductSpec,
  ProgramSpec,
  VolumeStructure,
} from '@ketrew/edsl';
import type { FailureReason } from '@ketrew/engine';

/*
 * One-line descriptions of the parts of a node, in the words of the EDSL, for `show`, `list` and
 * the dry run of `submit`.
 */

/** A program as the shell would read it: `a && b`, argv quoted. */
export function describeProgram(program: ProgramSpec): string {
  switch (program.kind) {
    case 'sh':
      return program.command;
    case 'exec':
      return program.argv.map(shellQuote).join(' ');
    case 'and':
      return program.programs.map(describeProgram).join(' && ');
    default:
      return unreachable(program);
  }
}

export function describeHost(host: Host): string {
  return host.name;
}

export function describeCondition(condition: ConditionSpec | null): string {
  if (condition === null) return 'none (run it; done when it succeeds)';
  switch (condition.kind) {
    case 'never':
      return 'never (always run)';
    case 'volume-exists':
      return `exists: ${volumePaths(condition.volume.root, condition.volume.structure).join(', ')} on ${describeHost(condition.volume.host)}`;
    case 'volume-size-at-least':
      return `at least ${condition.bytes} bytes: ${volumePaths(condition.volume.root, condition.volume.structure).join(', ')} on ${describeHost(condition.volume.host)}`;
    case 'command-returns':
      return `\`${describeProgram(condition.program)}\` returns ${condition.returns} on ${describeHost(condition.host)}`;
    case 'and':
      return condition.conditions.length === 0
        ? 'and of nothing (always true)'
        : condition.conditions.map((c) => `(${describeCondition(c)})`).join(' and ');
    default:
      return unreachable(condition);
  }
}

export function describeProduct(product: ProductSpec): string {
  switch (product.kind) {
    case 'none':
      return 'none';
    case 'single-file':
      return `file ${product.path} on ${describeHost(product.host)}`;
    case 'list-of-files':
      return `files ${product.paths.join(', ')} on ${describeHost(product.host)}`;
    case 'custom':
      return `${product.type}${product.data === null ? '' : ` ${JSON.stringify(product.data)}`}`;
    default:
      return unreachable(product);
  }
}

/** `daemonize on /tmp/KT: du -sh $HOME`, `no-operation`, `lsf (queue q) on …: cmd`. */
export function describeBuildProcess(make: BuildProcessSpec): string {
  if (make.backend === 'no-operation') return 'no-operation';
  const host = 'host' in make && isHost(make.host) ? ` on ${describeHost(make.host)}` : '';
  const program =
    'program' in make && isProgram(make.program) ? `: ${describeProgram(make.program)}` : '';
  return `${make.backend}${host}${program}`;
}

/** The backend's name, for tables. */
export function backendOf(make: BuildProcessSpec): string {
  return make.backend;
}

export function describeReason(reason: FailureReason): string {
  switch (reason.kind) {
    case 'non-zero-exit':
      return `non-zero exit ${reason.code}${reason.command === undefined ? '' : ` (${reason.command})`}`;
    case 'killed':
      return reason.message === undefined ? 'killed' : `killed: ${reason.message}`;
    case 'timeout':
      return `timeout after ${reason.seconds}s`;
    case 'lost':
      return `lost: ${reason.message}`;
    case 'start-failed':
      return `start failed: ${reason.message}`;
    case 'condition-not-ensured':
      return 'condition not ensured';
    case 'dependency-failed':
      return `dependency failed: ${reason.ids.join(', ')}`;
    case 'backend-error':
      return `backend error: ${reason.message}`;
    default:
      return unreachable(reason);
  }
}

function volumePaths(root: string, structure: VolumeStructure): string[] {
  const base = `${root.replace(/\/$/, '')}/${structure.name}`;
  if (structure.kind === 'file') return [base];
  if (structure.children.length === 0) return [`${base}/`];
  return structure.children.flatMap((child) => volumePaths(base, child));
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function isHost(value: unknown): value is Host {
  return typeof value === 'object' && value !== null && 'name' in value && 'connection' in value;
}

function isProgram(value: unknown): value is ProgramSpec {
  return typeof value === 'object' && value !== null && 'kind' in value;
}

function unreachable(value: never): never {
  throw new Error(`unexpected ${JSON.stringify(value)}`);
}
