import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const open = new Set<string>();
let hooked = false;

/**
 * Where private directories go first: `/dev/shm`, memory on Linux. The backend's directories
 * hold a file per job made and removed at once (notify files, the spares' FIFOs); in memory one
 * costs microseconds, where a disk file system's new inode may cost a millisecond of kernel CPU
 * (about 1 ms per `mkdir` or new file on this project's ext4 machine).
 */
const IN_MEMORY_ROOT = '/dev/shm';

/**
 * A fresh private directory (mode 0700) named `<prefix>XXXXXX`, in memory (`/dev/shm`) when
 * there is one, else under the system's temporary directory; removed by
 * `removePrivateDirectory` or, at the latest, when this process exits normally (one `exit` hook
 * for all of them), so that objects never closed (tests, short scripts) leave nothing behind.
 */
export async function makePrivateDirectory(prefix: string): Promise<string> {
  const directory = await mkdtemp(join(IN_MEMORY_ROOT, prefix)).catch(() =>
    mkdtemp(join(tmpdir(), prefix)),
  );
  open.add(directory);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const path of open) rmSync(path, { recursive: true, force: true });
    });
  }
  return directory;
}

/** Remove a directory made by `makePrivateDirectory`, with its content. */
export async function removePrivateDirectory(directory: string): Promise<void> {
  open.delete(directory);
  await rm(directory, { recursive: true, force: true }).catch(() => undefined);
}
