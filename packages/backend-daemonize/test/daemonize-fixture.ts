import type { Host, ProgramSpec } from '@ketrew/edsl';
import type {
  Backend,
  HostCommand,
  PollOutcome,
  RunOptions,
  RunState,
  StartContext,
  Transport,
  TransportProvider,
} from '@ketrew/engine';
import { startContextFor } from '@ketrew/test-kit';
import {
  LocalTransport,
  createDaemonizeBackend,
  createLocalTransportProvider,
  type DaemonizeBackendOptions,
  type DaemonizeRunState,
} from '../src/index.js';
import { killJobsUnder, localHost, temporaryDirectory } from './helpers.js';

export interface JobOptions {
  readonly using?: 'nohup-setsid' | 'python-daemon';
  readonly startingTimeout?: number;
  readonly host?: Host;
  readonly nodeId?: string;
  readonly attempt?: number;
}

/** A temporary playground root, a localhost host on it, and start contexts for commands. */
export async function daemonizeFixture() {
  const dir = await temporaryDirectory();
  const host = localHost({ name: dir.path, playground: dir.path });
  let nodes = 0;
  const job = (program: ProgramSpec | string, options: JobOptions = {}): StartContext => {
    nodes += 1;
    const make = {
      backend: 'daemonize',
      host: options.host ?? host,
      program: typeof program === 'string' ? { kind: 'sh', command: program } : program,
      using: options.using ?? 'nohup-setsid',
      startingTimeout: options.startingTimeout ?? 20,
    };
    return startContextFor(make, {
      nodeId: options.nodeId ?? `node-${nodes}`,
      attempt: options.attempt,
    });
  };
  const made: Backend[] = [];
  const backend = (options: DaemonizeBackendOptions = {}): Backend => {
    const created = createDaemonizeBackend({ killGracePeriodMs: 2_000, ...options });
    made.push(created);
    return created;
  };
  const cleanup = async (): Promise<void> => {
    // Closing ends the launchers and removes the notify and spare directories.
    for (const created of made.splice(0)) await created.close?.();
    await killJobsUnder(dir.path);
    await dir.cleanup();
  };
  return { root: dir.path, host, job, backend, cleanup };
}

/** The typed view of a run state this backend returned. */
export function daemonizeRun(run: RunState): DaemonizeRunState {
  return run as DaemonizeRunState;
}

/** Poll until the run leaves `running` (generous limit; no timing assertion). */
export async function settle(
  backend: Backend,
  run: RunState,
  limitMs = 60_000,
): Promise<PollOutcome> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const [outcome] = await backend.poll([run]);
    if (outcome === undefined) throw new Error('no outcome');
    if (outcome.kind !== 'running') return outcome;
    if (Date.now() > deadline) throw new Error('the job still runs');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A transport that records every command it runs, over a real `LocalTransport`; `failRuns`
 * makes `run` throw the given error instead.
 */
export class RecordingTransport implements Transport {
  readonly host: Host;
  readonly commands: HostCommand[] = [];
  failRuns: Error | null = null;
  readonly #inner: Transport;

  constructor(inner: Transport) {
    this.host = inner.host;
    this.#inner = inner;
  }

  /** The program names of the recorded commands (`sh -c …` counted as `shell`). */
  programs(): string[] {
    return this.commands.map((c) => ('argv' in c ? (c.argv[0] ?? '') : 'shell'));
  }

  async run(command: HostCommand, options?: RunOptions) {
    this.commands.push(command);
    if (this.failRuns !== null) throw this.failRuns;
    return this.#inner.run(command, options);
  }
  readFile(path: string, options?: { offset?: number; length?: number }) {
    return this.#inner.readFile(path, options);
  }
  writeFile(path: string, content: string, options?: { mode?: number }) {
    return this.#inner.writeFile(path, content, options);
  }
  mkdir(path: string) {
    return this.#inner.mkdir(path);
  }
  stat(path: string) {
    return this.#inner.stat(path);
  }
  close() {
    return this.#inner.close();
  }
}

/** A provider handing out one `RecordingTransport` per host name (all of them in `byHost`). */
export function recordingProvider(): {
  provider: TransportProvider;
  byHost: Map<string, RecordingTransport>;
} {
  const local = createLocalTransportProvider();
  const byHost = new Map<string, RecordingTransport>();
  const provider: TransportProvider = (host) => {
    let transport = byHost.get(host.name);
    if (transport === undefined) {
      transport = new RecordingTransport(local(host));
      byHost.set(host.name, transport);
    }
    return transport;
  };
  return { provider, byHost };
}

/** A `LocalTransport` (so the backend may use its persistent launcher) recording its commands. */
export class CountingLocalTransport extends LocalTransport {
  readonly programs: string[] = [];

  override async run(command: HostCommand, options?: RunOptions) {
    this.programs.push('argv' in command ? (command.argv[0] ?? '') : 'shell');
    return super.run(command, options);
  }
}
