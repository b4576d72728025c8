import { readFile } from 'node:fs';
import { open, mkdir, stat, writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileStat } from '@ketrew/engine';

/** Read a file, or a byte range of it; `null` when it does not exist. */
export async function readLocalFile(
  path: string,
  offset: number | undefined,
  length: number | undefined,
): Promise<string | null> {
  if (offset === undefined && length === undefined) return readWholeFile(path);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  try {
    const start = offset ?? 0;
    const { size } = await handle.stat();
    const count = Math.max(0, Math.min(length ?? Number.POSITIVE_INFINITY, size - start));
    if (count === 0) return '';
    const buffer = Buffer.alloc(count);
    const { bytesRead } = await handle.read(buffer, 0, count, start);
    return buffer.subarray(0, completeUtf8Length(buffer, bytesRead)).toString('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * A whole file, `null` when missing. The callback `readFile` costs about half the CPU of a
 * `FileHandle` (open, read, close as three promises), and the backend reads small files (pid,
 * log) for every job.
 */
function readWholeFile(path: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    readFile(path, 'utf8', (error, content) => {
      if (error === null) resolve(content);
      else if (isMissing(error)) resolve(null);
      else reject(error);
    });
  });
}

/**
 * The length of `buffer[0, end)` without a trailing, incomplete UTF-8 sequence, so that a byte
 * range cut in the middle of a character returns fewer bytes (allowed: "at most length") instead
 * of a replacement character, and the next read continues at a character boundary.
 */
export function completeUtf8Length(buffer: Uint8Array, end: number): number {
  for (let back = 1; back <= Math.min(4, end); back += 1) {
    const byte = buffer[end - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? end - back : end;
  }
  return end;
}

/** Write a file (replacing it) with `mode`, creating missing parent directories. */
export async function writeLocalFile(path: string, content: string, mode: number): Promise<void> {
  try {
    await writeFile(path, content, { mode });
  } catch (error) {
    // Most writes go to an existing directory: make the parents only when they are missing.
    if (errorCode(error) !== 'ENOENT') throw error;
    await makeDirectories(dirname(path));
    await writeFile(path, content, { mode });
  }
  await chmod(path, mode);
}

/**
 * `mkdir -p`, one level at a time. Node's own `mkdir(…, {recursive: true})` never returns for
 * some paths (e.g. under /proc on Node 20: it retries ENOENT forever), so it is not used.
 */
export async function makeDirectories(path: string): Promise<void> {
  try {
    await mkdir(path);
    return;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') {
      if ((await stat(path)).isDirectory()) return;
      throw error;
    }
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw error;
    await makeDirectories(parent);
  }
  try {
    await mkdir(path);
  } catch (error) {
    if (errorCode(error) === 'EEXIST' && (await stat(path)).isDirectory()) return;
    throw error;
  }
}

/** Stat a path, following links; `null` when it does not exist. */
export async function statLocalPath(path: string): Promise<FileStat | null> {
  try {
    const info = await stat(path);
    return {
      kind: info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other',
      size: info.size,
      mtimeMs: info.mtimeMs,
    };
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
