import { toWorkflowSpec, validateWorkflowSpec, workflowToString } from '@ketrew/edsl';
import type { WorkflowNode, WorkflowSpec } from '@ketrew/edsl';
import { describe, expect, it } from 'vitest';
import backupDag, { backupWorkflow } from './backup-dag.js';
import missingProduct from './missing-product.js';
import nestedSynthetic, { nestedWorkflow, syntheticTree } from './nested-synthetic.js';
import notifications from './notifications.js';
import oneCommandLsf from './one-command-lsf.js';
import oneCommandPbs from './one-command-pbs.js';
import oneCommand from './one-command.js';
import twoNodesChain from './two-nodes-chain.js';
import userDefinedProduct from './user-defined-product.js';

/** The spec of an example, checked by the validator (as the server will). */
function specOf(root: WorkflowNode): WorkflowSpec {
  const spec = toWorkflowSpec(root, { idPrefix: 'ex-' });
  expect(validateWorkflowSpec(JSON.parse(JSON.stringify(spec)))).toEqual({ ok: true, spec });
  return spec;
}

/** Each node's edges, by node names. */
function edgesByName(spec: WorkflowSpec): Record<string, Record<string, string[]>> {
  const nameOf = new Map(spec.nodes.map((n) => [n.id, n.name]));
  const names = (ids: readonly string[]): string[] => ids.map((id) => nameOf.get(id)!);
  return Object.fromEntries(
    spec.nodes.map((n) => [
      n.name,
      Object.fromEntries(
        (
          [
            ['dependsOn', names(n.dependsOn)],
            ['onSuccessActivate', names(n.onSuccessActivate)],
            ['onFailureActivate', names(n.onFailureActivate)],
          ] as const
        ).filter(([, ids]) => ids.length > 0),
      ),
    ]),
  );
}

describe('examples', () => {
  it('one-command: one daemonized node on /tmp/KT, active', () => {
    const spec = specOf(oneCommand);
    expect(spec.nodes).toHaveLength(1);
    expect(spec.nodes[0]).toMatchObject({
      name: 'du -sh $HOME',
      active: true,
      tags: ['1st-workflow', 'command-line'],
      make: {
        backend: 'daemonize',
        host: { connection: { kind: 'localhost' }, playground: '/tmp/KT' },
        program: { kind: 'sh', command: 'du -sh $HOME' },
      },
    });
  });

  it('one-command through LSF and PBS', () => {
    const [lsfNode] = specOf(oneCommandLsf).nodes;
    expect(lsfNode?.make).toMatchObject({ backend: 'lsf', queue: 'normal', wallLimit: '0:10' });
    const [pbsNode] = specOf(oneCommandPbs).nodes;
    expect(pbsNode?.make).toMatchObject({ backend: 'pbs', queue: 'batch', wallLimit: '00:10:00' });
  });

  it('two-nodes-chain: the second depends on the first', () => {
    const spec = specOf(twoNodesChain);
    expect(edgesByName(spec)).toEqual({
      'second: count its lines': { dependsOn: ['first: write a file'] },
      'first: write a file': {},
    });
    expect(spec.nodes.map((n) => n.condition?.kind)).toEqual(['volume-exists', 'volume-exists']);
  });

  it('missing-product: the dependent waits for a file that never comes', () => {
    const spec = specOf(missingProduct);
    expect(edgesByName(spec)).toEqual({
      'depends on the missing file': { dependsOn: ['says it writes a file, but does not'] },
      'says it writes a file, but does not': {},
    });
    expect(spec.nodes[1]?.product).toMatchObject({
      kind: 'single-file',
      path: '/tmp/KT/missing-product/never-written',
    });
  });

  it('backup-dag: tar, md5, gpg removing the clear tarball on success, tied by a root', () => {
    const spec = specOf(backupDag);
    expect(spec.nodes).toHaveLength(5);
    expect(edgesByName(spec)).toEqual({
      'backup of /tmp/KT/backup-dag/source': {
        dependsOn: ['md5 of the tarball', 'encrypt the tarball'],
      },
      'md5 of the tarball': { dependsOn: ['tar /tmp/KT/backup-dag/source'] },
      'tar /tmp/KT/backup-dag/source': {},
      'encrypt the tarball': {
        dependsOn: ['tar /tmp/KT/backup-dag/source', 'md5 of the tarball'],
        onSuccessActivate: ['remove the clear tarball'],
      },
      'remove the clear tarball': {},
    });
    const remove = spec.nodes.find((n) => n.name === 'remove the clear tarball');
    expect(remove?.condition).toMatchObject({ kind: 'command-returns', returns: 0 });
    expect(workflowToString(backupDag, { details: false })).toBe(
      [
        '* backup of /tmp/KT/backup-dag/source',
        '  * md5 of the tarball (#1)',
        '    * tar /tmp/KT/backup-dag/source (#2)',
        '  * encrypt the tarball',
        '    * tar /tmp/KT/backup-dag/source (#2, see above)',
        '    * md5 of the tarball (#1, see above)',
        '    → remove the clear tarball',
      ].join('\n'),
    );
  });

  it('backup-dag without encryption has no gpg branch', () => {
    const spec = specOf(backupWorkflow({ directory: '/etc', destination: '/tmp/KT/b' }));
    expect(spec.nodes.map((n) => n.name)).toEqual([
      'backup of /etc',
      'md5 of the tarball',
      'tar /etc',
    ]);
  });

  it('notifications: a mail on success, another on failure', () => {
    const spec = specOf(notifications);
    expect(edgesByName(spec)).toEqual({
      'list the playground': {
        onSuccessActivate: ['mail: list the playground succeeded'],
        onFailureActivate: ['mail: list the playground FAILED'],
      },
      'mail: list the playground succeeded': {},
      'mail: list the playground FAILED': {},
    });
    expect(spec.nodes.filter((n) => n.active).map((n) => n.name)).toEqual(['list the playground']);
  });

  it('nested-synthetic: each list depends on its children', () => {
    const spec = specOf(nestedSynthetic);
    expect(spec.nodes).toHaveLength(1 + 3 + 9 + 27);
    const leaves = spec.nodes.filter((n) => n.make.backend === 'daemonize');
    expect(leaves).toHaveLength(27);
    expect(spec.nodes.filter((n) => n.dependsOn.length === 3)).toHaveLength(13);
    expect(spec.nodes.reduce((edges, n) => edges + n.dependsOn.length, 0)).toBe(39);
    expect(edgesByName(specOf(nestedWorkflow([['a', 'b'], 'c'])))).toEqual({
      root: { dependsOn: ['root.0', 'root.1: c'] },
      'root.0': { dependsOn: ['root.0.0: a', 'root.0.1: b'] },
      'root.0.0: a': {},
      'root.0.1: b': {},
      'root.1: c': {},
    });
    expect(syntheticTree(1, 2, 'x')).toEqual(['x', 'x']);
  });

  it('user-defined-product: a typed BAM file on the wire as a custom product', () => {
    const spec = specOf(userDefinedProduct);
    expect(spec.nodes.map((n) => n.product)).toEqual([
      {
        kind: 'custom',
        type: 'bam',
        data: { path: '/tmp/KT/bam/sample.sorted.bam', sorted: true, reference: 'GRCh38' },
      },
      {
        kind: 'custom',
        type: 'bam',
        data: { path: '/tmp/KT/bam/sample.bam', sorted: false, reference: 'GRCh38' },
      },
    ]);
    expect(spec.nodes[0]?.condition).toMatchObject({ kind: 'volume-size-at-least', bytes: 1 });
  });
});
