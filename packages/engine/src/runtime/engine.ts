import { randomUUID } from 'node:crypto';
import type { NodeCommand } from '../core/commands.js';
import type { EngineNode } from '../core/engine-node.js';
import type { NodeEvent } from '../core/events.js';
import { findOrphans } from '../core/find-orphans.js';
import { ENGINE_ERROR_CODES, KetrewError } from '../errors.js';
import { guardBackends } from '../guard/guard-backends.js';
import type { Backend } from '../ports/backend.js';
import type { Store } from '../ports/store.js';
import { RunWatchers } from './run-watchers.js';
import { realClock, type Clock } from './clock.js';
import { CommandExecutor } from './command-executor.js';
import { ConditionEvaluator } from './condition-evaluator.js';
import { backendSettings, resolveEngineConfig, type EngineConfig } from './engine-config.js';
import type { EngineEvent } from './engine-events.js';
import { EventHub } from './event-hub.js';
import { EngineRecovery, type RecoveryContext } from './engine-recovery.js';
import { insertSubmission, type SubmissionContext } from './engine-submission.js';
import type { NodeEventBody } from './node-event-body.js';
import { PeriodicTimer } from './periodic-timer.js';
import { killTargets, prepareRestart } from './restart-targets.js';
import { SerialLock } from './serial-lock.js';
import { TickProcessor, type ExternalCommand, type TickBatch } from './tick-processor.js';
import { validateSubmission } from './validate-submission.js';
import { WakeUpTimers } from './wake-up-timers.js';
import { TransportCache } from './transport-cache.js';
import { writeTransitions } from './write-transitions.js';
import type { EngineOptions, EnginePhase, EngineStatus, SubmitResult } from './engine-types.js';

const COMMANDS_PER_TICK = 100;

/**
 * The event-driven runtime around the pure core (DESIGN.md §5, docs/engine-runtime.md): it
 * feeds events to `transition`, writes each tick's changes in one store transaction, and only
 * then carries out the tick's commands through the backends and transports (write-ahead), so a
 * crash at any point loses nothing and starts nothing twice.
 *
 * @example
 * const engine = new Engine({ store, backends: [daemonize], transports, config: { pollIntervalMs: 1000 } });
 * await engine.start();
 * const { workflowId } = await engine.submit(spec);
 * const stop = engine.events.subscribe((event) => console.log(event));
 * await engine.stop();
 */
export class Engine {
  /** Change events (published once written), notifications, failures. */
  readonly events = new EventHub<EngineEvent>();
  readonly config: EngineConfig;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #backends: ReadonlyMap<string, Backend>;
  /** What the submission and the recovery modules use of the engine. */
  readonly #parts: SubmissionContext & RecoveryContext;
  readonly #lock = new SerialLock();
  readonly #processor: TickProcessor;
  readonly #executor: CommandExecutor;
  readonly #watchers: RunWatchers;
  readonly #wakeUps: WakeUpTimers;
  readonly #periodic: PeriodicTimer[];
  readonly #recovery: EngineRecovery;
  #phase: EnginePhase = 'created';
  #tickScheduled = false;
  #ticks = 0;
  #activity = 0;
  #lastError: string | null = null;

  constructor(options: EngineOptions) {
    this.config = resolveEngineConfig(options.config);
    this.#store = options.store;
    this.#clock = options.clock ?? realClock;
    this.#backends = guardBackends(options.backends);
    this.#processor = new TickProcessor(this.config, () => this.#clock.now());
    this.#watchers = new RunWatchers({
      backends: this.#backends,
      clock: this.#clock,
      config: this.config,
      nodes: this.#processor.nodes,
      post: (id, event) => this.#post(id, event),
    });
    this.#wakeUps = new WakeUpTimers(this.#clock, (due) => {
      for (const w of due)
        this.#post(w.nodeId, { kind: 'wake-up', reason: w.reason, attempt: w.attempt });
    });
    const transports = new TransportCache(options.transports);
    this.#executor = new CommandExecutor({
      backends: this.#backends,
      evaluator: new ConditionEvaluator({
        transportFor: (host) => transports.for(host),
        defaultCommandTimeoutMs: this.config.hostCommandTimeoutMs,
      }),
      maxConcurrentConditionChecks: this.config.maxConcurrentConditionChecks,
      maxConcurrentCalls: (name) => backendSettings(this.config, name).maxConcurrentCalls,
      post: (id, event) => this.#post(id, event),
      watch: (node) => this.#watchers.watch(node),
      wakeUp: (id, at, command) => this.#wakeUps.schedule(id, at, command.reason, command.attempt),
      notify: (nodeId, level, message) =>
        this.events.emit({ kind: 'notification', time: this.#clock.now(), nodeId, level, message }),
    });
    this.#parts = {
      store: this.#store,
      processor: this.#processor,
      clock: this.#clock,
      config: this.config,
      newWorkflowId: options.newWorkflowId ?? randomUUID,
      carryOut: (node, command) => this.#carryOut(node, command),
      post: (id, event) => this.#post(id, event),
      emit: (event) => this.events.emit(event),
      running: () => this.#phase === 'running',
      wake: () => this.#scheduleTick(),
    };
    this.#recovery = new EngineRecovery(this.#parts);
    this.#periodic = [
      new PeriodicTimer(this.#clock, this.config.orphanCheckIntervalMs, () => {
        this.#exclusive(async () => this.#cleanOrphans()).catch((error: unknown) =>
          this.#fail(error),
        );
      }),
      new PeriodicTimer(this.#clock, this.config.commandQueueIntervalMs, () =>
        this.#scheduleTick(),
      ),
    ];
  }

  get phase(): EnginePhase {
    return this.#phase;
  }

  /**
   * Load every unfinished node, rebuild the counters and slots, and carry out what `resume`
   * says for each (a node caught `starting` looks for its job before starting it), then run.
   */
  async start(): Promise<void> {
    if (this.#phase !== 'created') {
      throw new KetrewError(
        ENGINE_ERROR_CODES.invalidState,
        `cannot start an engine ${this.#phase}`,
      );
    }
    this.#phase = 'starting';
    try {
      await this.#store.migrate();
      await this.#lock.run(() =>
        this.#recovery.run(() => {
          this.#phase = 'running';
        }),
      );
    } catch (error) {
      this.#fail(error);
      throw error;
    }
    for (const timer of this.#periodic) timer.start();
    this.#scheduleTick();
  }

  /**
   * Stop timers and polling, write what is pending, and return. Jobs keep running; commands not
   * yet carried out are re-issued by the next `start()` (see `resume`). Idempotent.
   */
  async stop(): Promise<void> {
    if (this.#phase === 'created' || this.#phase === 'stopped' || this.#phase === 'failed') {
      if (this.#phase === 'created') this.#phase = 'stopped';
      return;
    }
    this.#phase = 'stopping';
    this.#haltTimers();
    await this.#lock.run(async () => {
      while (this.#processor.pending > 0 && this.#phase === 'stopping') await this.#runBatch();
    });
    if (this.#phase === 'stopping') this.#phase = 'stopped';
  }

  /**
   * Validate a workflow (wire format, graph, backends), merge its nodes into equivalent ones,
   * insert it atomically with its root activated, and wake the engine. Throws a `KetrewError`
   * (`invalid-workflow` or `unknown-backend`) naming every offending field; nothing is written
   * then.
   */
  async submit(document: unknown): Promise<SubmitResult> {
    this.#assertRunning();
    const spec = validateSubmission(document, this.#backends);
    const result = await this.#lock.run(async () => insertSubmission(spec, this.#parts));
    this.#scheduleTick();
    return result;
  }

  /**
   * Kill nodes (those in a killable state; others are left alone). With `recursive`, also every
   * node that waits for them, transitively. Returns the ids a kill was sent to.
   */
  async kill(
    ids: readonly string[],
    options: {
      readonly recursive?: boolean | undefined;
      readonly message?: string | undefined;
    } = {},
  ): Promise<{ readonly ids: readonly string[] }> {
    this.#assertRunning();
    return this.#exclusive(async () =>
      this.#killNow(ids, options.recursive ?? false, options.message),
    );
  }

  /**
   * Restart finished nodes as a new attempt (same id, attempt + 1, history kept). With `subtree`,
   * also the finished nodes that failed because of them, transitively. Returns the ids a restart
   * was sent to.
   */
  async restart(
    ids: readonly string[],
    options: { readonly subtree?: boolean | undefined } = {},
  ): Promise<{ readonly ids: readonly string[] }> {
    this.#assertRunning();
    return this.#exclusive(async () => this.#restartNow(ids, options.subtree ?? false));
  }

  status(): EngineStatus {
    const { watched, polls } = this.#watchers.counts();
    return {
      phase: this.#phase,
      nodes: this.#processor.countByState(),
      slots: this.#processor.limiter.usage(),
      hostCpus: this.#processor.limiter.hostUsage(),
      waitingForSlot: this.#processor.readyQueue.size,
      watched,
      polls,
      pendingEvents: this.#processor.pending,
      commandsInFlight: this.#executor.inFlight,
      wakeUps: this.#wakeUps.size,
      ticks: this.#ticks,
      transitions: this.#processor.transitions,
      lastError: this.#lastError,
    };
  }

  /**
   * Grows whenever the engine does anything (an event, a tick, a command); tests and benchmarks
   * compare two readings to know it is waiting for time or for the outside.
   */
  get activity(): number {
    return this.#activity + this.#executor.inFlight;
  }

  /** True when no event waits, no tick runs and no command is in flight. */
  get isIdle(): boolean {
    return (
      !this.#tickScheduled &&
      !this.#lock.held &&
      this.#processor.pending === 0 &&
      this.#executor.inFlight === 0
    );
  }

  /** Carry out a command outside a tick (at start and after an insert). */
  #carryOut(node: EngineNode, command: NodeCommand): void {
    switch (command.kind) {
      case 'activate': {
        const activate: NodeEvent = { kind: 'activate', by: command.by, time: this.#clock.now() };
        for (const id of command.ids) {
          if (this.#processor.nodes.has(id)) this.#processor.post(id, activate);
        }
        this.#activity++;
        this.#scheduleTick();
        return;
      }
      case 'release-dependents':
        return;
      default:
        this.#executor.execute(node, command);
    }
  }

  #post(nodeId: string, event: NodeEventBody): void {
    if (this.#phase !== 'running' && this.#phase !== 'stopping' && this.#phase !== 'starting')
      return;
    this.#activity++;
    // Every caller passes a fresh object literal: stamping it in place spares a copy per event.
    (event as { time?: number }).time = this.#clock.now();
    this.#processor.post(nodeId, event as NodeEvent);
    this.#scheduleTick();
  }

  #scheduleTick(): void {
    if (this.#tickScheduled || this.#phase !== 'running') return;
    this.#tickScheduled = true;
    setImmediate(() => {
      this.#tickScheduled = false;
      // A tick that throws is a bug: stop like a crash would, rather than run on half-updated.
      this.#lock.run(() => this.#tick()).catch((error: unknown) => this.#fail(error));
    });
  }

  async #tick(): Promise<void> {
    if (this.#phase !== 'running') return;
    this.#activity++;
    await this.#takeQueuedCommands();
    await this.#runBatch();
    if (this.#processor.pending > 0) this.#scheduleTick();
  }

  async #runBatch(): Promise<void> {
    const batch = this.#processor.process(this.config.maxEventsPerTick);
    this.#ticks++;
    if (batch.changed.size === 0 && batch.commands.length === 0) return;
    const nodes = [...batch.changed.values()];
    if (nodes.length > 0 || batch.history.length > 0) {
      const batchToWrite = { nodes, history: batch.history };
      const failure = await writeTransitions(
        this.#store,
        this.#clock,
        this.config,
        batchToWrite,
        (e) => {
          this.#lastError = messageOf(e);
        },
      );
      if (failure !== null) return this.#fail(failure);
    }
    this.#afterWrite(batch, nodes);
  }

  #afterWrite(batch: TickBatch, written: readonly EngineNode[]): void {
    if (written.length > 0) {
      this.events.emit({ kind: 'nodes-changed', time: this.#clock.now(), nodes: written });
    }
    if (this.#phase === 'running') {
      const { issuers, commands } = batch;
      for (let i = 0; i < commands.length; i++) {
        this.#executor.execute(issuers[i] as EngineNode, commands[i] as ExternalCommand);
      }
    }
    for (const id of batch.finished) {
      this.#processor.forget(id);
      this.#wakeUps.cancelNode(id);
    }
  }

  async #takeQueuedCommands(): Promise<void> {
    const queued = await this.#store.takeCommands(COMMANDS_PER_TICK).catch((error: unknown) => {
      this.#lastError = messageOf(error);
      return [];
    });
    for (const { command } of queued) {
      if (command.kind === 'kill') this.#killNow(command.ids, command.recursive, undefined);
      else await this.#restartNow(command.ids, command.subtree);
    }
  }

  #killNow(ids: readonly string[], recursive: boolean, message: string | undefined) {
    const sent = killTargets(ids, recursive, this.#processor.nodes);
    for (const id of sent)
      this.#post(id, { kind: 'kill', ...(message === undefined ? {} : { message }) });
    return { ids: sent };
  }

  async #restartNow(ids: readonly string[], subtree: boolean) {
    const sent = await prepareRestart(this.#store, this.#processor, ids, subtree);
    for (const id of sent) this.#post(id, { kind: 'restart' });
    return { ids: sent };
  }

  #cleanOrphans(): void {
    for (const id of findOrphans(this.#processor.nodes.values()))
      this.#post(id, { kind: 'orphaned' });
  }

  /** Run a section under the engine's lock, then wake the tick loop. */
  async #exclusive<T>(section: () => Promise<T>): Promise<T> {
    const result = await this.#lock.run(section);
    this.#scheduleTick();
    return result;
  }

  #assertRunning(): void {
    if (this.#phase !== 'running') {
      throw new KetrewError(
        ENGINE_ERROR_CODES.invalidState,
        `the engine is ${this.#phase}, not running`,
      );
    }
  }

  #haltTimers(): void {
    for (const timer of this.#periodic) timer.stop();
    this.#recovery.stop();
    this.#watchers.stop();
    this.#wakeUps.stop();
  }

  #fail(error: unknown): void {
    const message = messageOf(error);
    this.#lastError = message;
    this.#phase = 'failed';
    this.#haltTimers();
    this.events.emit({ kind: 'engine-failed', time: this.#clock.now(), message });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
