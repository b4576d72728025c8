import { FakeBackend, FakeCluster, VirtualClock, type StartContext } from '@ketrew/engine';
import { describeBackendContract, startContextFor } from './backend-contract.js';

let next = 0;
const context = (kind: string): StartContext =>
  startContextFor({ backend: 'fake' }, { nodeId: `${kind}-${next++}` });

describeBackendContract({
  name: 'FakeBackend',
  create: async () => {
    const clock = new VirtualClock(0);
    const cluster = new FakeCluster({ clock });
    const script = (ctx: StartContext) =>
      ctx.nodeId.startsWith('long')
        ? { duration: 3_600_000 }
        : ctx.nodeId.startsWith('failing')
          ? { duration: 500, outcome: { failed: { kind: 'non-zero-exit', code: 3 } } as const }
          : { duration: 500, stdout: 'hello from the fake cluster\n' };
    return {
      backend: new FakeBackend({ cluster, script }),
      jobs: {
        succeeding: () => context('succeeding'),
        failing: () => context('failing'),
        long: () => context('long'),
      },
      expectedStdout: 'hello from the fake cluster\n',
      reopen: () => new FakeBackend({ cluster, script }),
      wait: async (ms) => clock.advanceBy(ms),
      cleanup: async () => undefined,
    };
  },
});
