import { describe, expect, it } from 'vitest';
import { daemonize } from '../build-process/daemonize.js';
import { lsf } from '../build-process/lsf.js';
import { buildProcess } from '../build-process/plugin-build-process.js';
import { Host } from '../host/host.js';
import { dependsOn, onFailureActivate, onSuccessActivate } from '../node/workflow-edge.js';
import { workflowNode } from '../node/workflow-node.js';
import { withoutProduct } from '../product/without-product.js';
import { Program } from '../program/program.js';
import { workflowToString } from './workflow-to-string.js';

const host = Host.parse('/tmp/KT');

function backup() {
  const tarball = workflowNode(withoutProduct(), {
    name: 'tarball',
    make: daemonize(Program.exec(['tar', 'czf', '/tmp/b.tgz', '/home/me']), { host }),
  });
  const md5 = workflowNode(withoutProduct(), {
    name: 'md5',
    make: daemonize(Program.sh('md5sum /tmp/b.tgz > /tmp/b.md5'), { host }),
    edges: [dependsOn(tarball)],
  });
  const clean = workflowNode(withoutProduct(), {
    name: 'clean',
    make: lsf(Program.and(Program.sh('rm -f /tmp/b.tgz'), Program.sh('sync')), { host }),
  });
  const mail = workflowNode(withoutProduct(), {
    name: 'mail',
    make: buildProcess('acme/mailer', { to: 'me@example.org' }),
  });
  return workflowNode(withoutProduct(), {
    name: 'backup',
    edges: [dependsOn(md5), dependsOn(tarball), onSuccessActivate(clean), onFailureActivate(mail)],
  });
}

describe('workflowToString', () => {
  it('prints the indented tree with the build processes, shared nodes once', () => {
    expect(workflowToString(backup())).toBe(
      [
        '* backup',
        '  * md5: daemonize on /tmp/KT: md5sum /tmp/b.tgz > /tmp/b.md5',
        "    * tarball (#1): daemonize on /tmp/KT: 'tar' 'czf' '/tmp/b.tgz' '/home/me'",
        '  * tarball (#1, see above)',
        '  × mail: acme/mailer',
        '  → clean: lsf on /tmp/KT: rm -f /tmp/b.tgz && sync',
      ].join('\n'),
    );
  });

  it('prints names only, with another indentation', () => {
    expect(workflowToString(backup(), { details: false, indentation: 4 })).toBe(
      [
        '* backup',
        '    * md5',
        '        * tarball (#1)',
        '    * tarball (#1, see above)',
        '    × mail',
        '    → clean',
      ].join('\n'),
    );
  });

  it('colours the markers for terminals', () => {
    const text = workflowToString(backup(), { ansiColors: true, details: false });
    expect(text.split('\n')[0]).toBe('\u001b[1;32m*\u001b[0m backup');
    expect(text).toContain('\u001b[1;31m×\u001b[0m mail');
    expect(text).toContain('\u001b[1;33m→\u001b[0m clean');
  });

  it('prints unnamed nodes by their local id', () => {
    const node = workflowNode(withoutProduct());
    expect(workflowToString(node)).toBe(`* ${node.id}`);
  });

  it('prints a chain of 20,000 nodes without recursion', () => {
    let node = workflowNode(withoutProduct(), { name: 'n' });
    for (let i = 1; i < 20_000; i++) {
      node = workflowNode(withoutProduct(), { name: 'n', edges: [dependsOn(node)] });
    }
    const lines = workflowToString(node, { indentation: 0 }).split('\n');
    expect(lines).toHaveLength(20_000);
  });
});
