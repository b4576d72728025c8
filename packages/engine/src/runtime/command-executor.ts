import type { NodeCommand } from '../core/commands.js';
import type { EngineNode } from '../core/engine-node.js';
import type { Phase } from '../core/events.js';
import { isRecoverable } from '../errors.js';
import type { Backend } from '../ports/backend.js';
import type { ConditionEvaluator } from './condition-evaluator.js';
import type { NodeEventBody } from './node-event-body.js';
import { Semaphore } from './semaphore.js';

/** What the executor needs from the engine. */
export interface CommandExecutorContext {
  readonly backends: ReadonlyMap<string, Backend>;
  readonly evaluator: ConditionEvaluator;
  readonly maxConcurrentConditionChecks: number;
  readonly maxConcurrentCalls: (backend: string) => number;
  /** Feed an event to a node (stamped with the time when it is handled). */
  readonly post: (nodeId: string, event: NodeEventBody) => void;
  readonly watch: (node: EngineNode) => void;
  readonly wakeUp: (
    nodeId: string,
    at: number,
    command: Extract<NodeCommand, { kind: 'wake-up' }>,
  ) => void;
  readonly notify: (nodeId: string, level: 'info' | 'warning' | 'error', message: string) => void;
}

type External = Exclude<NodeCommand, { kind: 'activate' | 'release-dependents' }>;

/**
 * Carries out the core's commands that reach outside the engine (condition checks, starts,
 * kills, watches, wake-ups, notifications) and turns every answer into a `NodeEvent`. Called only
 * after the tick that produced the commands is in the store (write-ahead). Backend calls are
 * limited per backend, condition checks engine-wide.
 */
export class CommandExecutor {
  readonly #context: CommandExecutorContext;
  readonly #conditionChecks: Semaphore;
  readonly #callsByBackend = new Map<string, Semaphore>();
  /** Starts in flight per node: a kill of a node still starting waits for them. */
  readonly #starts = new Map<string, Promise<boolean>>();
  #inFlight = 0;

  constructor(context: CommandExecutorContext) {
    this.#context = context;
    this.#conditionChecks = new Semaphore(context.maxConcurrentConditionChecks);
  }

  /** Commands being carried out now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  execute(node: EngineNode, command: External): void {
    switch (command.kind) {
      case 'evaluate-condition':
        this.#track(this.#evaluate(node, command));
        return;
      case 'start':
        this.#startCommand(node, command);
        return;
      case 'kill':
        this.#track(this.#kill(node, command));
        return;
      case 'watch':
        this.#context.watch(node);
        return;
      case 'wake-up':
        this.#context.wakeUp(node.id, command.at, command);
        return;
      case 'notify':
        this.#context.notify(node.id, command.level, command.message);
        return;
      default:
        unreachable(command);
    }
  }

  async #evaluate(
    node: EngineNode,
    command: Extract<NodeCommand, { kind: 'evaluate-condition' }>,
  ): Promise<void> {
    try {
      const value = await this.#conditionChecks.run(() =>
        this.#context.evaluator.evaluate(command.condition),
      );
      this.#context.post(node.id, { kind: 'condition-evaluated', value });
    } catch (error) {
      this.#failed(node.id, 'condition', error);
    }
  }

  #startCommand(node: EngineNode, command: Extract<NodeCommand, { kind: 'start' }>): void {
    const started = this.#start(node, command);
    this.#starts.set(node.id, started);
    this.#inFlight++;
    const done = (): void => {
      this.#inFlight--;
      if (this.#starts.get(node.id) === started) this.#starts.delete(node.id);
    };
    void started.then(done, done);
  }

  /** Resolves whether a job was started or found. */
  async #start(
    node: EngineNode,
    command: Extract<NodeCommand, { kind: 'start' }>,
  ): Promise<boolean> {
    const backend = this.#backendOf(node, 'start');
    if (backend === null) return false;
    try {
      return await this.#calls(backend.name).run(async () => {
        if (command.findFirst) {
          const found = await backend.find(command.jobName, node.spec.make, node.spec);
          if (found !== null) {
            this.#context.post(node.id, { kind: 'found', run: found });
            return true;
          }
        }
        const run = await backend.start({
          nodeId: node.id,
          attempt: node.attempt,
          jobName: command.jobName,
          node: node.spec,
        });
        this.#context.post(node.id, { kind: 'started', run });
        return true;
      });
    } catch (error) {
      this.#failed(node.id, 'start', error);
      return false;
    }
  }

  async #kill(node: EngineNode, command: Extract<NodeCommand, { kind: 'kill' }>): Promise<void> {
    let run = command.run;
    if (run === null) {
      // A start still in flight: its `started` answer will bring a kill with the run.
      const start = this.#starts.get(node.id);
      if (start !== undefined && (await start)) return;
    }
    const backend = this.#backendOf(node, 'kill');
    if (backend === null) return;
    try {
      await this.#calls(backend.name).run(async () => {
        if (run === null && command.jobName !== null) {
          run = await backend.find(command.jobName, node.spec.make, node.spec);
        }
        if (run !== null) await backend.kill(run);
      });
      this.#context.post(node.id, { kind: 'kill-succeeded' });
    } catch (error) {
      this.#failed(node.id, 'kill', error);
    }
  }

  #backendOf(node: EngineNode, phase: Phase): Backend | null {
    const name = node.spec.make.backend;
    const backend = this.#context.backends.get(name);
    if (backend !== undefined) return backend;
    if (phase === 'kill' && name === 'no-operation') {
      this.#context.post(node.id, { kind: 'kill-succeeded' });
      return null;
    }
    this.#context.post(node.id, {
      kind: 'backend-failed',
      phase,
      recoverable: false,
      message: `no backend named "${name}" is configured`,
    });
    return null;
  }

  #calls(backend: string): Semaphore {
    let semaphore = this.#callsByBackend.get(backend);
    if (semaphore === undefined) {
      semaphore = new Semaphore(this.#context.maxConcurrentCalls(backend));
      this.#callsByBackend.set(backend, semaphore);
    }
    return semaphore;
  }

  #failed(nodeId: string, phase: Phase, error: unknown): void {
    this.#context.post(nodeId, {
      kind: 'backend-failed',
      phase,
      recoverable: isRecoverable(error),
      message: error instanceof Error ? error.message : String(error),
    });
  }

  #track(work: Promise<unknown>): void {
    this.#inFlight++;
    work.then(
      () => this.#inFlight--,
      () => this.#inFlight--,
    );
  }
}

function unreachable(value: never): never {
  throw new Error(`unknown command ${JSON.stringify(value)}`);
}
