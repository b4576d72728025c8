import { invalidArgument } from '../errors.js';
import { Host } from '../host/host.js';
import { normalizeAbsolutePath, splitFilePath } from '../path/absolute-path.js';
import { trusted, trustedIf } from '../util/trusted.js';
import type { Volume as VolumeSpec, VolumeStructure } from '../wire/condition-schema.js';

/** Files and directories under an absolute root on a host: the wire format's volume. */
export type Volume = VolumeSpec;
export type { VolumeStructure };

/** Where a volume lives. Default: `Host.tmpOnLocalhost`, as in the original. */
export interface VolumeOptions {
  readonly host?: Host | undefined;
}

function checkName(name: string, where: string): string {
  if (name === '' || name.includes('/') || name === '.' || name === '..') {
    invalidArgument(where, `${JSON.stringify(name)} is not a file or directory name`);
  }
  return name;
}

/**
 * Volumes: what the conditions `volumeExists` and `volumeSizeAtLeast` look at.
 *
 * @example
 * Volume.create('/data/run-1', Volume.dir('fastq', [Volume.file('r1.fq'), Volume.file('r2.fq')]));
 * Volume.ofFile('/data/run-1/report.html', { host });
 */
export const Volume = {
  /** A volume: `structure` under the absolute directory `root` on `options.host`. */
  create(rootPath: string, structure: VolumeStructure, options: VolumeOptions = {}): Volume {
    const host = options.host ?? Host.tmpOnLocalhost;
    const root = normalizeAbsolutePath(rootPath, 'Volume.create: root');
    return trustedIf([host, structure], { host, root, structure });
  },

  /** A file named `name` (one path segment). */
  file(name: string): VolumeStructure {
    return trusted({ kind: 'file', name: checkName(name, 'Volume.file') });
  },

  /** A directory named `name` (one path segment) holding `children`. */
  dir(name: string, children: readonly VolumeStructure[] = []): VolumeStructure {
    return trustedIf(children, {
      kind: 'directory',
      name: checkName(name, 'Volume.dir'),
      children: [...children],
    });
  },

  /** The volume of a single file given by its absolute path. */
  ofFile(path: string, options: VolumeOptions = {}): Volume {
    const { directory, name } = splitFilePath(path, 'Volume.ofFile');
    return Volume.create(directory, Volume.file(name), options);
  },

  /** The absolute paths of everything in a volume, directories before their contents. */
  allPaths(volume: Volume): string[] {
    const paths: string[] = [];
    const visit = (parent: string, structure: VolumeStructure): void => {
      const path = parent === '/' ? `/${structure.name}` : `${parent}/${structure.name}`;
      paths.push(path);
      if (structure.kind === 'directory')
        for (const child of structure.children) visit(path, child);
    };
    visit(volume.root, volume.structure);
    return paths;
  },
} as const;
