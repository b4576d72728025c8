import type { ExportRecord } from '../ports/store.js';
import { BackupFormatError } from './backup-format-error.js';

/** The first line of a backup file (`format`, `version`; other fields are informative). */
export interface BackupHeader {
  readonly format: 'ketrew-backup';
  readonly version: 1;
  /** Epoch ms when the backup was written. */
  readonly createdAt?: number | undefined;
}

export const BACKUP_FORMAT = 'ketrew-backup';
export const BACKUP_VERSION = 1;

/** Check a parsed header; throws `BackupFormatError` naming `path:line`. */
export function checkBackupHeader(value: unknown, path: string, line: number): void {
  if (!isObject(value) || value['format'] !== BACKUP_FORMAT) {
    throw new BackupFormatError(
      path,
      line,
      `not a Ketrew backup (expected a header with format "${BACKUP_FORMAT}")`,
    );
  }
  if (value['version'] !== BACKUP_VERSION) {
    throw new BackupFormatError(
      path,
      line,
      `unsupported backup version ${JSON.stringify(value['version'])} (this Ketrew reads version ${BACKUP_VERSION})`,
    );
  }
}

/** Parse one line of JSON; throws `BackupFormatError` naming `path:line`. */
export function parseJsonLine(text: string, path: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BackupFormatError(path, line, `not JSON (${(error as Error).message})`);
  }
}

/**
 * Check that a parsed value has the shape of an `ExportRecord` (the fields the stores rely
 * on; specs and states are kept as they are). Throws `BackupFormatError` naming `path:line`.
 */
export function toExportRecord(value: unknown, path: string, line: number | null): ExportRecord {
  const problem = recordProblem(value);
  if (problem !== null) throw new BackupFormatError(path, line, problem);
  return value as ExportRecord;
}

function recordProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not an export record (expected an object)';
  switch (value['type']) {
    case 'workflow':
      return fieldsProblem('workflow', value['workflow'], {
        id: 'string',
        rootId: 'string',
        submittedAt: 'number',
        spec: 'object',
      });
    case 'node':
      return fieldsProblem('node', value['node'], {
        id: 'string',
        workflowId: 'string',
        spec: 'object',
        state: 'state',
        attempt: 'number',
        successiveErrors: 'number',
        equivalentTo: 'string-or-null',
        createdAt: 'number',
        updatedAt: 'number',
      });
    case 'history':
      return fieldsProblem('entry', value['entry'], {
        nodeId: 'string',
        attempt: 'number',
        time: 'number',
        state: 'state',
        message: 'string-or-null',
      });
    default:
      return `unknown record type ${JSON.stringify(value['type'])} (expected workflow, node or history)`;
  }
}

type FieldKind = 'string' | 'number' | 'object' | 'state' | 'string-or-null';

function fieldsProblem(
  name: string,
  value: unknown,
  fields: Record<string, FieldKind>,
): string | null {
  if (!isObject(value)) return `"${name}" must be an object`;
  for (const [field, kind] of Object.entries(fields)) {
    if (!hasKind(value[field], kind)) return `"${name}.${field}" must be ${describe(kind)}`;
  }
  return null;
}

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return isObject(value);
    case 'state':
      return isObject(value) && typeof value['kind'] === 'string';
    case 'string-or-null':
      return value === null || typeof value === 'string';
    default:
      return unreachable(kind);
  }
}

function describe(kind: FieldKind): string {
  return kind === 'state'
    ? 'a state (an object with a "kind")'
    : kind === 'string-or-null'
      ? 'a string or null'
      : `a ${kind}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unreachable(value: never): never {
  throw new Error(`unhandled field kind ${String(value)}`);
}
