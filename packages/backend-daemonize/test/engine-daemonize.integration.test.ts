import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Host } from '@ketrew/edsl';
import { Engine, MemoryStore, type NodeState } from '@ketrew/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDaemonizeBackend, createLocalTransportProvider } from '../src/index.js';
import {
  killJobsUnder,
  liveGroupMembers,
  localHost,
  temporaryDirectory,
  waitFor,
} from './helpers.js';

// The engine runtime driving real detached jobs on this machine, end to end.

let dir: { path: string; cleanup: () => Promise<void> };
let store: MemoryStore;
let engine: Engine;
let host: Host;

beforeEach(async () => {
  dir = await temporaryDirectory();
  host = localHost({ name: dir.path, playground: dir.path });
  store = new MemoryStore();
  engine = new Engine({
    store,
    backends: [createDaemonizeBackend({ killGracePeriodMs: 1_000 })],
    transports: createLocalTransportProvider(),
    config: { pollIntervalMs: 100, recoveryGraceMs: 0 },
  });
  await engine.start();
});
afterEach(async () => {
  await engine.stop();
  await killJobsUnder(dir.path);
  await dir.cleanup();
});

const daemonize = (command: string) => ({
  backend: 'daemonize',
  host,
  program: { kind: 'sh', command },
});

async function stateOf(id: string): Promise<NodeState> {
  const [node] = await store.getNodes([id]);
  if (node === undefined) throw new Error(`no node ${id}`);
  return node.state;
}

async function finished(...ids: string[]): Promise<void> {
  await waitFor(
    `${ids.join(', ')} to finish`,
    async () => {
      const states = await Promise.all(ids.map(stateOf));
      return states.every((s) => s.kind === 'finished');
    },
    60_000,
  );
}

describe('Engine + daemonize on localhost', () => {
  it('runs a two-node chain whose product is a file, in order', async () => {
    const product = join(dir.path, 'product.txt');
    await engine.submit({
      version: 1,
      root: 'use',
      nodes: [
        {
          id: 'make',
          name: 'make the product',
          make: daemonize(`printf 'made\\n' > '${product}'`),
          product: { kind: 'single-file', host, path: product },
          condition: {
            kind: 'volume-exists',
            volume: { host, root: dir.path, structure: { kind: 'file', name: 'product.txt' } },
          },
        },
        {
          id: 'use',
          name: 'use it',
          active: true,
          make: daemonize(`cat '${product}'; echo used`),
          dependsOn: ['make'],
        },
      ],
    });
    await finished('make', 'use');
    expect(await stateOf('make')).toMatchObject({
      outcome: 'successful',
      from: 'verified-success',
    });
    expect(await stateOf('use')).toMatchObject({ outcome: 'successful' });
    const out = await readFile(join(dir.path, 'use', '1', 'out'), 'utf8');
    expect(out).toBe('made\nused\n');
  });

  it('fails a node with the exit code of its failed command', async () => {
    await engine.submit({
      version: 1,
      root: 'bad',
      nodes: [{ id: 'bad', name: 'bad', active: true, make: daemonize('echo partial; exit 3') }],
    });
    await finished('bad');
    expect(await stateOf('bad')).toMatchObject({
      outcome: 'failed',
      from: 'failed-running',
      reason: { kind: 'non-zero-exit', code: 3, command: 'echo partial; exit 3' },
    });
  });

  it('kills a running node and its whole process group', async () => {
    await engine.submit({
      version: 1,
      root: 'long',
      nodes: [
        {
          id: 'long',
          name: 'long',
          active: true,
          make: daemonize('sleep 1000 & sleep 1000; wait'),
        },
      ],
    });
    await waitFor('the job to run', async () => (await stateOf('long')).kind === 'running');
    const running = await stateOf('long');
    const pid = running.kind === 'running' ? Number(running.run.pid) : 0;
    expect(pid).toBeGreaterThan(1);
    await waitFor('its children', async () => (await liveGroupMembers(pid)).length >= 3);
    await engine.kill(['long']);
    await finished('long');
    expect(await stateOf('long')).toMatchObject({ outcome: 'failed', reason: { kind: 'killed' } });
    expect(await liveGroupMembers(pid)).toEqual([]);
  });
});
