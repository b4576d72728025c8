import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeListResponse, SubmitResponse } from '../src/client/api-types.js';
import { KetrewSandbox, untilWorkflowStates } from './e2e-harness.js';

/*
 * Every example of examples/src, submitted with the real binary (`ketrew submit --wet-run
 * FILE.ts`, the TypeScript loaded without a build) to one real server (daemonize backend,
 * SQLite), and watched to its end through `ketrew list --json`.
 *
 * The examples write under /tmp/KT, as in the original. To keep runs independent of each other
 * and of leftovers (a product already there makes a node `already-done`), each file is copied
 * into the sandbox with `/tmp/KT` replaced by a fresh directory; nothing else is changed. The
 * programs the examples call that a test machine lacks (`mail`, `bwa`, `samtools`; `gpg` when
 * missing) are small stand-ins put first on the server's PATH.
 */

const EXAMPLES = fileURLToPath(new URL('../../../examples/src/', import.meta.url));
const sandbox = new KetrewSandbox();
const copies = join(sandbox.directory, 'examples');
const kt = join(sandbox.directory, 'KT');
const stubs = join(sandbox.directory, 'bin');
const mailbox = join(sandbox.directory, 'mailbox');
const hasGpg = commandExists('gpg');

function commandExists(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function stub(name: string, script: string): void {
  const path = join(stubs, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
}

beforeAll(async () => {
  mkdirSync(sandbox.home, { recursive: true });
  mkdirSync(copies, { recursive: true });
  mkdirSync(stubs, { recursive: true });
  for (const file of readdirSync(EXAMPLES)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const text = readFileSync(join(EXAMPLES, file), 'utf8');
    writeFileSync(join(copies, file), text.replaceAll('/tmp/KT', kt));
  }
  // What the examples expect to find: a directory to back up and a passphrase (backup-dag), a
  // directory for the BAM files (user-defined-product).
  mkdirSync(join(kt, 'backup-dag', 'source', 'sub'), { recursive: true });
  writeFileSync(join(kt, 'backup-dag', 'source', 'a.txt'), 'alpha\n');
  writeFileSync(join(kt, 'backup-dag', 'source', 'sub', 'b.txt'), 'beta\n');
  writeFileSync(join(kt, 'backup-dag', 'passphrase'), 'correct horse battery staple\n');
  mkdirSync(join(kt, 'bam'), { recursive: true });
  stub('mail', `{ echo "mail $*"; cat; } >> '${mailbox}'`);
  stub('bwa', `printf '@HD\\tVN:1.6\\nread2\\t0\\tchr1\\t200\\nread1\\t0\\tchr1\\t100\\n'`);
  stub(
    'samtools',
    [
      'cmd=$1; shift; out=; in=-',
      'while [ $# -gt 0 ]; do case $1 in -o) out=$2; shift 2;; -b) shift;; *) in=$1; shift;; esac; done',
      'case $cmd in',
      '  view) if [ "$in" = - ]; then cat > "$out"; else cat "$in" > "$out"; fi;;',
      '  sort) sort "$in" > "$out";;',
      '  *) exit 2;;',
      'esac',
    ].join('\n'),
  );
  if (!hasGpg) {
    stub(
      'gpg',
      'out=; while [ $# -gt 1 ]; do case $1 in --output) out=$2; shift 2;; *) shift;; esac; done; cp "$1" "$out"',
    );
  }
  await sandbox.initOnFreePort();
  const started = await sandbox.run(['start-server', '--daemonize'], {
    env: { PATH: `${stubs}:${process.env['PATH'] ?? '/usr/bin:/bin'}` },
  });
  if (started.code !== 0) throw new Error(started.stderr);
}, 120_000);

afterAll(async () => {
  await sandbox.run(['stop-server', '--force']);
  sandbox.remove();
}, 120_000);

async function submit(file: string): Promise<SubmitResponse> {
  return sandbox.json<SubmitResponse>(['submit', '--wet-run', join(copies, file)]);
}

async function total(): Promise<number> {
  return (await sandbox.json<NodeListResponse>(['list'])).total;
}

/** Each example file, and what its test checks: the table must name every example. */
const CHECKED = [
  'one-command.ts',
  'one-command-lsf.ts',
  'one-command-pbs.ts',
  'two-nodes-chain.ts',
  'missing-product.ts',
  'backup-dag.ts',
  'notifications.ts',
  'nested-synthetic.ts',
  'user-defined-product.ts',
];

describe('every example of examples/src, submitted with `ketrew submit --wet-run`', () => {
  it('this file checks every example there is', () => {
    const examples = readdirSync(EXAMPLES).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'example-host.ts',
    );
    expect([...CHECKED].sort()).toEqual(examples.sort());
  });

  it('one-command: `du -sh $HOME` runs detached and succeeds', async () => {
    const submitted = await submit('one-command.ts');
    const [node] = await untilWorkflowStates(sandbox, submitted.workflowId, {
      'du -sh $HOME': 'finished/verified-success',
    });
    expect(node?.spec.tags).toEqual(['1st-workflow', 'command-line']);
    const logs = await sandbox.run(['logs', submitted.rootId]);
    expect(logs.stdout).toMatch(new RegExp(`^\\S+\\s+${sandbox.home}\\n$`));
  });

  for (const [file, backend] of [
    ['one-command-lsf.ts', 'lsf'],
    ['one-command-pbs.ts', 'pbs'],
  ] as const) {
    it(`${file.replace('.ts', '')}: refused (exit 7, unknown backend "${backend}": this server has no ${backend.toUpperCase()} backend), nothing stored`, async () => {
      const before = await total();
      const result = await sandbox.run(['submit', '--wet-run', join(copies, file)]);
      expect({ code: result.code, error: result.stderr.split('\n')[0] }).toEqual({
        code: 7,
        error: expect.stringMatching(
          new RegExp(`^error: the server rejected the workflow: .*unknown backend "${backend}"`),
        ),
      });
      expect(await total()).toBe(before);
    });
  }

  it('two-nodes-chain: the second runs after the first and reads its file', async () => {
    const submitted = await submit('two-nodes-chain.ts');
    const nodes = await untilWorkflowStates(sandbox, submitted.workflowId, {
      'first: write a file': 'finished/verified-success',
      'second: count its lines': 'finished/verified-success',
    });
    const [first, second] = ['first: write a file', 'second: count its lines'].map((name) =>
      nodes.find((n) => n.spec.name === name)!,
    );
    expect(second!.updatedAt).toBeGreaterThanOrEqual(first!.updatedAt);
    expect(readFileSync(join(kt, 'two-nodes-chain', 'second.txt'), 'utf8').trim()).toBe('1');
  });

  it('missing-product: the node fails (condition not ensured), its dependent because of it', async () => {
    const submitted = await submit('missing-product.ts');
    const nodes = await untilWorkflowStates(sandbox, submitted.workflowId, {
      'says it writes a file, but does not': 'finished/did-not-ensure-condition',
      'depends on the missing file': 'finished/dependencies-failed',
    });
    expect(nodes.every((n) => n.simpleStatus === 'failed')).toBe(true);
    expect(existsSync(join(kt, 'missing-product', 'never-written'))).toBe(false);
  });

  it(`backup-dag: tar, md5, gpg${hasGpg ? '' : ' (a stand-in: no gpg here)'}, then the clear tarball is removed`, async () => {
    const submitted = await submit('backup-dag.ts');
    const source = join(kt, 'backup-dag', 'source');
    const nodes = await untilWorkflowStates(sandbox, submitted.workflowId, {
      [`backup of ${source}`]: 'finished/verified-success',
      [`tar ${source}`]: 'finished/verified-success',
      'md5 of the tarball': 'finished/verified-success',
      'encrypt the tarball': 'finished/verified-success',
      'remove the clear tarball': 'finished/verified-success',
    });
    expect(nodes.every((n) => n.simpleStatus === 'successful')).toBe(true);
    const backup = join(kt, 'backup-dag', 'backup');
    expect(existsSync(join(backup, 'backup.tgz'))).toBe(false);
    const md5 = readFileSync(join(backup, 'backup.tgz.md5'), 'utf8').split(/\s+/)[0];
    const passphrase = join(kt, 'backup-dag', 'passphrase');
    const decrypted = hasGpg
      ? execFileSync('gpg', [
          '--batch',
          '--quiet',
          '--passphrase-file',
          passphrase,
          '--decrypt',
          join(backup, 'backup.tgz.gpg'),
        ])
      : readFileSync(join(backup, 'backup.tgz.gpg'));
    expect(execFileSync('md5sum', { input: decrypted }).toString().split(/\s+/)[0]).toBe(md5);
    const listing = execFileSync('tar', ['tzf', '-'], { input: decrypted }).toString();
    expect(listing).toContain('./sub/b.txt');
  });

  it('notifications: the command succeeds, the success mail is sent, the failure mail never activated', async () => {
    const submitted = await submit('notifications.ts');
    await untilWorkflowStates(sandbox, submitted.workflowId, {
      'list the playground': 'finished/verified-success',
      'mail: list the playground succeeded': 'finished/verified-success',
      // An orphan once its parent succeeded: left passive until the engine's orphan check
      // (every 10 minutes) kills it, as in the original.
      'mail: list the playground FAILED': 'passive',
    });
    const mail = readFileSync(mailbox, 'utf8');
    expect(mail).toBe('mail -s list the playground succeeded me@example.org\nAll good.\n');
  });

  it('nested-synthetic: 27 leaves and 13 lists, every node successful', async () => {
    const submitted = await submit('nested-synthetic.ts');
    const expected: Record<string, string> = {};
    const walk = (path: string, depth: number): void => {
      if (depth === 3) {
        expected[`${path}: true`] = 'finished/verified-success';
        return;
      }
      expected[path] = 'finished/verified-success';
      for (let i = 0; i < 3; i++) walk(`${path}.${i}`, depth + 1);
    };
    walk('root', 0);
    const nodes = await untilWorkflowStates(sandbox, submitted.workflowId, expected);
    expect(nodes).toHaveLength(40);
    expect(nodes.filter((n) => n.spec.make.backend === 'daemonize')).toHaveLength(27);
  });

  it('user-defined-product: a typed BAM product, done when its file is not empty', async () => {
    const submitted = await submit('user-defined-product.ts');
    const nodes = await untilWorkflowStates(sandbox, submitted.workflowId, {
      'align sample': 'finished/verified-success',
      'sort sample': 'finished/verified-success',
    });
    expect(nodes.map((n) => n.spec.product)).toContainEqual({
      kind: 'custom',
      type: 'bam',
      data: { path: join(kt, 'bam', 'sample.sorted.bam'), sorted: true, reference: 'GRCh38' },
    });
    expect(statSync(join(kt, 'bam', 'sample.sorted.bam')).size).toBeGreaterThan(1);
    expect(readFileSync(join(kt, 'bam', 'sample.sorted.bam'), 'utf8').split('\n')[1]).toMatch(
      /^read1/,
    );
  });
});
