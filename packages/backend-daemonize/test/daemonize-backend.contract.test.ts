import type { ProgramSpec } from '@ketrew/edsl';
import { describeBackendContract, startContextFor } from '@ketrew/test-kit';
import { createDaemonizeBackend } from '../src/index.js';
import { killJobsUnder, localHost, temporaryDirectory } from './helpers.js';

describeBackendContract({
  name: 'daemonize (localhost, nohup-setsid)',
  create: async () => {
    const dir = await temporaryDirectory();
    const host = localHost({ playground: dir.path });
    let nodes = 0;
    const job = (command: string) => () => {
      nodes += 1;
      const program: ProgramSpec = { kind: 'sh', command };
      const make = {
        backend: 'daemonize',
        host,
        program,
        using: 'nohup-setsid',
        startingTimeout: 20,
      };
      return startContextFor(make, { nodeId: `node-${nodes}` });
    };
    const made = [createDaemonizeBackend({ killGracePeriodMs: 2_000 })];
    return {
      backend: made[0] as (typeof made)[number],
      jobs: { succeeding: job('echo hello'), failing: job('exit 3'), long: job('sleep 600') },
      expectedStdout: 'hello\n',
      reopen: () => {
        const reopened = createDaemonizeBackend({ killGracePeriodMs: 2_000 });
        made.push(reopened);
        return reopened;
      },
      cleanup: async () => {
        for (const backend of made) await backend.close?.();
        await killJobsUnder(dir.path);
        await dir.cleanup();
      },
    };
  },
});
