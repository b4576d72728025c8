import {
  close as closeCb,
  fchmod as fchmodCb,
  mkdir as mkdirCb,
  open as openCb,
  read as readCb,
  write as writeCb,
} from 'node:fs';
import { open, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileStat } from '@ketrew/engine';

/** Read a file, or a byte range of it; `null` when it does not exist. */
export async function readLocalFile(
  path: string,
  offset: number | undefined,
  length: number | undefined,
): Promise<string | null> {
  if (length === undefined && (offset ?? 0) === 0) return readWholeFile(path, offset === 0);
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
 * First read of a whole file: the backend's files (pid, log) are small, most fit at once. Under
 * half of Node's 8 KiB buffer pool, so `Buffer.allocUnsafe` takes a slice of the pool instead of
 * allocating memory of its own at every read.
 */
const FIRST_READ_BYTES = 4000;

/**
 * A whole file, `null` when missing. Callbacks, and no `fstat`: open, one read, close (three
 * calls) for a file under 4,000 bytes, where `readFile` takes four and a `FileHandle` as many promises;
 * the backend reads small files (pid, log) for every job. Larger files are read on in chunks.
 * `asRange`: read as the range from offset 0 (the logs route's first read), so without a
 * trailing, incomplete UTF-8 sequence.
 */
function readWholeFile(path: string, asRange: boolean): Promise<string | null> {
  return new Promise((resolve, reject) => {
    openCb(path, 'r', (openError, fd) => {
      if (openError !== null) {
        if (isMissing(openError)) resolve(null);
        else reject(openError);
        return;
      }
      const chunks: Buffer[] = [];
      let size = FIRST_READ_BYTES;
      const finish = (error: NodeJS.ErrnoException | null): void => {
        closeCb(fd, () => {
          if (error !== null) reject(error);
          else {
            const only = chunks.length === 1 ? chunks[0] : undefined;
            const content = only ?? Buffer.concat(chunks);
            const end = asRange ? completeUtf8Length(content, content.length) : content.length;
            resolve(content.toString('utf8', 0, end));
          }
        });
      };
      const next = (): void => {
        const buffer = Buffer.allocUnsafe(size);
        readCb(fd, buffer, 0, size, null, (readError, bytesRead) => {
          if (readError !== null) return finish(readError);
          chunks.push(buffer.subarray(0, bytesRead));
          // A short read is the end of a regular file.
          if (bytesRead < size) return finish(null);
          size = Math.min(size * 8, 16 * 1024 * 1024);
          next();
        });
      };
      next();
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
    await writeWithMode(path, content, mode);
  } catch (error) {
    // Most writes go to an existing directory: make the parents only when they are missing.
    if (errorCode(error) !== 'ENOENT') throw error;
    await makeDirectories(dirname(path));
    await writeWithMode(path, content, mode);
  }
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

/**
 * Create the directory `path`, whose parent exists or is made (`mkdir -p` of the parent):
 * `'created'`, or `'exists'` when something is already there (directory or not). One `mkdir`
 * when the parent exists, through callbacks (no stat first).
 */
export async function makeNewDirectory(path: string): Promise<'created' | 'exists'> {
  const attempt = (): Promise<'created' | 'exists'> =>
    new Promise((resolve, reject) => {
      mkdirCb(path, (error) => {
        if (error === null) resolve('created');
        else if (error.code === 'EEXIST') resolve('exists');
        else reject(error);
      });
    });
  try {
    return await attempt();
  } catch (error) {
    const parent = dirname(path);
    if (errorCode(error) !== 'ENOENT' || parent === path) throw error;
    await makeDirectories(parent);
    return attempt();
  }
}

/**
 * Write a file with exactly `mode` (not masked by the umask), through callbacks: open, write,
 * `fchmod`, close, where `writeFile` then `chmod` take as many calls, as promises (a start
 * writes a script per job).
 */
function writeWithMode(path: string, content: string, mode: number): Promise<void> {
  return new Promise((resolve, reject) => {
    openCb(path, 'w', mode, (openError, fd) => {
      if (openError !== null) return reject(openError);
      const finish = (error: NodeJS.ErrnoException | null): void => {
        closeCb(fd, (closeError) => {
          const failure = error ?? closeError;
          if (failure === null) resolve();
          else reject(failure);
        });
      };
      const data = Buffer.from(content, 'utf8');
      const writeFrom = (offset: number): void => {
        writeCb(fd, data, offset, data.length - offset, null, (writeError, written) => {
          if (writeError !== null) return finish(writeError);
          if (offset + written < data.length) return writeFrom(offset + written);
          fchmodCb(fd, mode, finish);
        });
      };
      writeFrom(0);
    });
  });
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
