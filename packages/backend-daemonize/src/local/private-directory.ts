import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const open = new Set<string>();
let hooked = false;

/**
 * A fresh private directory (mode 0700) under the system's temporary directory, named
 * `<prefix>XXXXXX`, removed by `removePrivateDirectory` or, at the latest, when this process
 * exits normally (one `exit` hook for all of them), so that objects never closed (tests, short
 * scripts) leave nothing behind.
 */
export async function makePrivateDirectory(prefix: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
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
