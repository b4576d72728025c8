/**
 * The original's backup DAG: tar a directory (product: the .tgz), compute its md5 (depends on
 * the tarball), optionally encrypt it with gpg (depends on both) and, when that succeeds, remove
 * the clear tarball; a product-less root ties them together.
 */
import {
  Condition,
  Program,
  daemonize,
  dependsOn,
  onSuccessActivate,
  singleFile,
  withoutProduct,
  workflowNode,
} from '@ketrew/edsl';
import type { Host, WorkflowNode } from '@ketrew/edsl';
import { exampleHost } from './example-host.js';

export interface BackupOptions {
  /** The directory to back up. */
  readonly directory: string;
  /** Where the backup files go (created if missing). */
  readonly destination: string;
  /** Encrypt with `gpg --symmetric`, reading the passphrase from this file. Default: no. */
  readonly passphraseFile?: string | undefined;
  readonly host?: Host | undefined;
}

export function backupWorkflow(options: BackupOptions): WorkflowNode {
  const host = options.host ?? exampleHost;
  const tgz = `${options.destination}/backup.tgz`;
  const tarball = workflowNode(singleFile(tgz, { host }), {
    name: `tar ${options.directory}`,
    make: daemonize(
      Program.and(
        Program.exec(['mkdir', '-p', options.destination]),
        Program.exec(['tar', 'czf', tgz, '-C', options.directory, '.']),
      ),
      { host },
    ),
  });
  const md5 = workflowNode(singleFile(`${tgz}.md5`, { host }), {
    name: 'md5 of the tarball',
    make: daemonize(Program.shf('md5sum %S > %S', tarball.product.path, `${tgz}.md5`), { host }),
    edges: [dependsOn(tarball)],
  });
  const wanted = [dependsOn(md5)];
  if (options.passphraseFile !== undefined) {
    const removeTarball = workflowNode(withoutProduct(), {
      name: 'remove the clear tarball',
      make: daemonize(Program.exec(['rm', '-f', tgz]), { host }),
      ensures: Condition.commandReturns(Program.shf('test ! -e %S', tgz), 0, { host }),
    });
    const encrypted = workflowNode(singleFile(`${tgz}.gpg`, { host }), {
      name: 'encrypt the tarball',
      make: daemonize(
        Program.exec([
          'gpg',
          '--batch',
          '--yes',
          '--passphrase-file',
          options.passphraseFile,
          '--symmetric',
          '--output',
          `${tgz}.gpg`,
          tgz,
        ]),
        { host },
      ),
      edges: [dependsOn(tarball), dependsOn(md5), onSuccessActivate(removeTarball)],
    });
    wanted.push(dependsOn(encrypted));
  }
  return workflowNode(withoutProduct(), {
    name: `backup of ${options.directory}`,
    tags: ['backup'],
    edges: wanted,
  });
}

export default backupWorkflow({
  directory: '/tmp/KT/backup-dag/source',
  destination: '/tmp/KT/backup-dag/backup',
  passphraseFile: '/tmp/KT/backup-dag/passphrase',
});
