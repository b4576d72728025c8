import { spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Program, toWorkflowSpec, type WorkflowNode, type WorkflowSpec } from '@ketrew/edsl';
import type { EngineNode } from '@ketrew/engine';
import { afterEach, describe, expect, it } from 'vitest';
// The examples package has no entry point: its files are imported as they are.
import { backupWorkflow } from '../../../examples/src/backup-dag.js';
import missingProduct from '../../../examples/src/missing-product.js';
import { nestedWorkflow, syntheticTree } from '../../../examples/src/nested-synthetic.js';
import { withNotifications } from '../../../examples/src/notifications.js';
import oneCommand from '../../../examples/src/one-command.js';
import twoNodesChain from '../../../examples/src/two-nodes-chain.js';
import {
  idsByName,
  linesOf,
  relocate,
  startHarness,
  waitUntilFinished,
  writeExecutable,
  type EngineHarness,
} from './support/engine-harness.js';

// The examples of examples/src that run on this machine, run for real: Engine + daemonize +
// LocalTransport + the SQLite file store (MemoryStore where it is not available), real clock.
// Examples that hard-code /tmp/KT (one command, two-node chain, missing product) are moved to a
// temporary directory by rewriting "/tmp/KT" in their wire spec; the others are built with their
// own exported functions and a temporary host. Jobs get HOME = the temporary directory (so
// `du -sh $HOME` and gpg stay inside it) and a fake `mail` first on their PATH.

let harness: EngineHarness | undefined;

afterEach(async () => {
  if (harness === undefined) return;
  // gpg starts an agent for the temporary GNUPGHOME; stop it with the test.
  spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, HOME: harness.dir } });
  await harness.close();
  harness = undefined;
});

const FAKE_MAIL = `#!/bin/sh
# mail -s SUBJECT ADDRESS < body: append one line per mail to $KETREW_TEST_MAILBOX
body=$(cat)
printf '%s|%s|%s\\n' "$2" "$3" "$body" >> "$KETREW_TEST_MAILBOX"
`;

async function start(): Promise<EngineHarness> {
  harness = await startHarness({
    config: { orphanCheckIntervalMs: 200 },
    prepare: async (dir) => {
      await writeExecutable(join(dir, 'bin', 'mail'), FAKE_MAIL);
      return {
        env: {
          HOME: dir,
          PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
          KETREW_TEST_MAILBOX: join(dir, 'mailbox'),
        },
      };
    },
  });
  return harness;
}

/** Submit `spec`, wait until every node of it is finished; the nodes by name. */
async function run(h: EngineHarness, spec: WorkflowSpec): Promise<Map<string, EngineNode>> {
  await h.engine.submit(spec);
  const ids = idsByName(spec);
  const nodes = await waitUntilFinished(h.store, [...ids.values()]);
  return new Map([...ids.keys()].map((name, i) => [name, nodes[i] as EngineNode]));
}

/** `node` as a spec moved from /tmp/KT to the harness's directory. */
function relocated(h: EngineHarness, node: WorkflowNode): WorkflowSpec {
  return relocate(toWorkflowSpec(node), '/tmp/KT', h.dir);
}

/** The encrypting step of the backup DAG needs gpg (Debian's `gpg` package). */
const hasGpg = spawnSync('gpg', ['--version']).status === 0;

const succeeded = { kind: 'finished', outcome: 'successful', from: 'verified-success' };

function stateOf(nodes: Map<string, EngineNode>, name: string): EngineNode['state'] {
  const node = nodes.get(name);
  if (node === undefined) throw new Error(`no node named ${name}`);
  return node.state;
}

/** The time (epoch ms) of the first `kind` line of a playground's monitored log. */
async function logTime(playground: string, kind: string): Promise<number> {
  const line = (await linesOf(join(playground, 'log'))).find((l) => l.split('\t')[1] === kind);
  if (line === undefined) throw new Error(`no ${kind} line in ${playground}/log`);
  return Number((line.split('\t')[0] ?? '').replace(',', '.')) * 1000;
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('the examples, run by the engine through daemonize', () => {
  it('one command: `du -sh $HOME` detached on the host', { timeout: 120_000 }, async () => {
    const h = await start();
    const spec = relocated(h, oneCommand);
    const nodes = await run(h, spec);
    expect(stateOf(nodes, 'du -sh $HOME')).toEqual(succeeded);
    const id = idsByName(spec).get('du -sh $HOME') as string;
    const out = await readFile(join(h.dir, id, '1', 'out'), 'utf8');
    expect(out).toMatch(new RegExp(`^\\S+\\t${h.dir}\\n$`));
  });

  it('two-node chain: the second reads the file of the first, after it', async () => {
    const h = await start();
    const spec = relocated(h, twoNodesChain);
    const nodes = await run(h, spec);
    expect(stateOf(nodes, 'first: write a file')).toEqual(succeeded);
    expect(stateOf(nodes, 'second: count its lines')).toEqual(succeeded);
    const second = await readFile(join(h.dir, 'two-nodes-chain', 'second.txt'), 'utf8');
    expect(second.trim()).toBe('1');
    const ids = idsByName(spec);
    const firstEnded = await logTime(
      join(h.dir, ids.get('first: write a file') as string, '1'),
      'success',
    );
    const secondStarted = await logTime(
      join(h.dir, ids.get('second: count its lines') as string, '1'),
      'start',
    );
    expect(secondStarted).toBeGreaterThanOrEqual(firstEnded);
  });

  it('missing product: did-not-ensure-condition, then the dependent fails', async () => {
    const h = await start();
    const spec = relocated(h, missingProduct);
    const nodes = await run(h, spec);
    const forgetfulId = idsByName(spec).get('says it writes a file, but does not') as string;
    expect(stateOf(nodes, 'says it writes a file, but does not')).toMatchObject({
      kind: 'finished',
      outcome: 'failed',
      from: 'did-not-ensure-condition',
      reason: { kind: 'condition-not-ensured' },
    });
    expect(stateOf(nodes, 'depends on the missing file')).toMatchObject({
      kind: 'finished',
      outcome: 'failed',
      from: 'dependencies-failed',
      reason: { kind: 'dependency-failed', ids: [forgetfulId] },
    });
    // The command did run (and said so); the dependent never started.
    const out = await readFile(join(h.dir, forgetfulId, '1', 'out'), 'utf8');
    expect(out).toContain('I should write');
    const dependentId = idsByName(spec).get('depends on the missing file') as string;
    expect(await exists(join(h.dir, dependentId))).toBe(false);
  });

  it.skipIf(!hasGpg)(
    'backup DAG: tar, md5, gpg, then the clear tarball is removed',
    { timeout: 120_000 },
    async () => {
      const h = await start();
      const source = join(h.dir, 'source');
      await mkdir(join(source, 'sub'), { recursive: true });
      await writeFile(join(source, 'a.txt'), 'alpha\n');
      await writeFile(join(source, 'sub', 'b.txt'), 'beta\n');
      await writeFile(join(h.dir, 'passphrase'), 'correct horse battery staple\n');
      const destination = join(h.dir, 'backup');
      const root = backupWorkflow({
        directory: source,
        destination,
        passphraseFile: join(h.dir, 'passphrase'),
        host: h.host,
      });
      const nodes = await run(h, toWorkflowSpec(root));
      for (const name of [
        `tar ${source}`,
        'md5 of the tarball',
        'encrypt the tarball',
        'remove the clear tarball',
        `backup of ${source}`,
      ]) {
        expect({ name, state: stateOf(nodes, name) }).toEqual({ name, state: succeeded });
      }
      const tgz = join(destination, 'backup.tgz');
      expect(await exists(tgz)).toBe(false);
      expect(await exists(`${tgz}.gpg`)).toBe(true);
      // The encrypted file is the tarball whose md5 was recorded.
      const [md5] = (await readFile(`${tgz}.md5`, 'utf8')).split(/\s+/);
      const decrypted = spawnSync(
        'sh',
        [
          '-c',
          `gpg --batch --quiet --passphrase-file passphrase --decrypt backup/backup.tgz.gpg | md5sum`,
        ],
        { cwd: h.dir, env: { ...process.env, HOME: h.dir }, encoding: 'utf8' },
      );
      expect(decrypted.stdout.split(/\s+/)[0]).toBe(md5);
    },
  );

  it('backup DAG without the optional encryption keeps the tarball', async () => {
    const h = await start();
    const source = join(h.dir, 'source');
    await mkdir(source, { recursive: true });
    await writeFile(join(source, 'a.txt'), 'alpha\n');
    const destination = join(h.dir, 'backup');
    const spec = toWorkflowSpec(backupWorkflow({ directory: source, destination, host: h.host }));
    expect(spec.nodes.map((n) => n.name).sort()).toEqual(
      [`backup of ${source}`, 'md5 of the tarball', `tar ${source}`].sort(),
    );
    const nodes = await run(h, spec);
    for (const node of nodes.values()) expect(node.state).toEqual(succeeded);
    expect(await exists(join(destination, 'backup.tgz'))).toBe(true);
    expect(await exists(join(destination, 'backup.tgz.md5'))).toBe(true);
  });

  it('notifications: the on-success mail when the command succeeds', async () => {
    const h = await start();
    const root = withNotifications(Program.sh(`ls -la '${h.dir}'`), {
      name: 'list the playground',
      email: 'me@example.org',
      host: h.host,
    });
    const nodes = await run(h, toWorkflowSpec(root));
    expect(stateOf(nodes, 'list the playground')).toEqual(succeeded);
    expect(stateOf(nodes, 'mail: list the playground succeeded')).toEqual(succeeded);
    // The on-failure branch can no longer be reached: cleaned up without running.
    expect(stateOf(nodes, 'mail: list the playground FAILED')).toMatchObject({
      kind: 'finished',
      outcome: 'failed',
      from: 'killed',
    });
    expect(await linesOf(join(h.dir, 'mailbox'))).toEqual([
      'list the playground succeeded|me@example.org|All good.',
    ]);
  });

  it('notifications: the on-failure mail when the command fails', async () => {
    const h = await start();
    const root = withNotifications(Program.sh('ls /nonexistent-directory-of-ketrew-tests'), {
      name: 'list a missing directory',
      email: 'me@example.org',
      host: h.host,
    });
    const nodes = await run(h, toWorkflowSpec(root));
    expect(stateOf(nodes, 'list a missing directory')).toMatchObject({
      kind: 'finished',
      outcome: 'failed',
      from: 'failed-running',
      reason: { kind: 'non-zero-exit', code: 2 },
    });
    expect(stateOf(nodes, 'mail: list a missing directory FAILED')).toEqual(succeeded);
    expect(stateOf(nodes, 'mail: list a missing directory succeeded')).toMatchObject({
      kind: 'finished',
      outcome: 'failed',
      from: 'killed',
    });
    expect(await linesOf(join(h.dir, 'mailbox'))).toEqual([
      'list a missing directory FAILED|me@example.org|See `ketrew logs` for details.',
    ]);
  });

  it('nested synthetic: a tree of lists of commands, all done', async () => {
    const h = await start();
    const spec = toWorkflowSpec(nestedWorkflow(syntheticTree(2, 3, 'true'), h.host));
    expect(spec.nodes).toHaveLength(1 + 3 + 9);
    const nodes = await run(h, spec);
    for (const node of nodes.values()) expect(node.state).toEqual(succeeded);
  });
});
