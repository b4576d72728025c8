import { randomUUID } from 'node:crypto';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { NodeEvent } from '../core/events.js';
import { findOrphans } from '../core/find-orphans.js';
import { resume } from '../core/resume.js';
import { ENGINE_ERROR_CODES, KetrewError } from '../errors.js';
import { guardBackend } from '../guard/guard-backend.js';
import type { Backend } from '../ports/backend.js';
import type { Store } from '../ports/store.js';
import { RunWatchers } from './run-watchers.js';
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { CommandExecutor } from './command-executor.js';
import { ConditionEvaluator } from './condition-evaluator.js';
import { backendSettings, resolveEngineConfig, type EngineConfig } from './engine-config.js';
import type { EngineEvent } from './engine-events.js';
import { EventHub } from './event-hub.js';
import type { NodeEventBody } from './node-event-body.js';
import { PeriodicTimer } from './periodic-timer.js';
import { equivalenceKeysOf, planSubmission } from './plan-submission.js';
import { killTargets, prepareRestart } from './restart-targets.js';
import { SerialLock } from './serial-lock.js';
import { startReadyNodes } from './start-ready-nodes.js';
import { TickProcessor, type ExternalCommand, type TickBatch } from './tick-processor.js';
import { validateSubmission } from './validate-submission.js';
import { WakeUpTimers } from './wake-up-timers.js';
import { loadForRecovery } from './load-for-recovery.js';
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
  readonly #backends = new Map<string, Backend>();
  readonly #newWorkflowId: () => string;
  readonly #lock = new SerialLock();
  readonly #processor: TickProcessor;
  readonly #executor: CommandExecutor;
  readonly #watchers: RunWatchers;
  readonly #wakeUps: WakeUpTimers;
  readonly #periodic: PeriodicTimer[];
  readonly #delayed = new Set<TimerHandle>();
  #phase: EnginePhase = 'created';
  #tickScheduled = false;
  #ticks = 0;
  #activity = 0;
  #lastError: string | null = null;

  constructor(options: EngineOptions) {
    this.config = resolveEngineConfig(options.config);
    this.#store = options.store;
    this.#clock = options.clock ?? realClock;
    this.#newWorkflowId = options.newWorkflowId ?? randomUUID;
    for (const backend of options.backends) {
      if (this.#backends.has(backend.name)) {
        throw new KetrewError(
          ENGINE_ERROR_CODES.invalidState,
          `two backends named ${backend.name}`,
        );
      }
      const guarded = guardBackend(backend);
      this.#backends.set(backend.name, guarded);
    }
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
      await this.#lock.run(() => this.#recover());
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
    const result = await this.#lock.run(async () => {
      const keys = equivalenceKeysOf(spec);
      const candidates = keys.length === 0 ? [] : await this.#store.findEquivalent(keys);
      const fresh = candidates.map((c) => this.#processor.nodes.get(c.id) ?? c);
      const time = this.#clock.now();
      const planned = planSubmission(spec, {
        workflowId: this.#newWorkflowId(),
        time,
        candidates: fresh,
        core: this.config.core,
      });
      this.#processor.learnHosts(planned.nodes);
      const { plan, slots } = startReadyNodes(planned, {
        time,
        config: this.config,
        core: this.config.core,
        limiter: this.#processor.limiter,
        readyQueue: this.#processor.readyQueue,
      });
      try {
        await this.#store.insertWorkflow(plan.workflow, plan.nodes, plan.history);
      } catch (error) {
        for (const id of slots) this.#processor.limiter.release(id);
        throw error;
      }
      const outside = fresh.filter((c) => !this.#processor.nodes.has(c.id));
      this.#processor.adopt([...outside, ...plan.nodes]);
      for (const { node, command } of plan.commands) this.#carryOut(node, command);
      for (const node of plan.nodes) this.#processor.checkReady(node.id);
      this.events.emit({
        kind: 'workflow-submitted',
        time,
        workflowId: plan.workflow.id,
        nodeIds: plan.nodes.map((n) => n.id),
      });
      return {
        workflowId: plan.workflow.id,
        nodeIds: plan.nodes.map((n) => n.id),
        merged: Object.fromEntries(plan.merged),
      };
    });
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

  async #recover(): Promise<void> {
    const { loaded, outcomes } = await loadForRecovery(this.#store);
    this.#processor.restore(loaded, outcomes);
    this.#phase = 'running';
    const graceUntil = (node: EngineNode): number => node.updatedAt + this.config.recoveryGraceMs;
    for (const node of loaded) {
      for (const command of resume(node)) {
        const blind =
          (command.kind === 'start' && command.findFirst) ||
          (command.kind === 'kill' && command.run === null);
        if (blind && graceUntil(node) > this.#clock.now())
          this.#carryOutLater(node, command, graceUntil(node));
        else this.#carryOut(node, command);
      }
      if (node.state.kind === 'passive' && node.spec.active) {
        this.#post(node.id, { kind: 'activate', by: { kind: 'user' } });
      }
    }
    for (const node of loaded) this.#processor.checkReady(node.id);
  }

  /** Carry out a command outside a tick (at start and after an insert). */
  #carryOut(node: EngineNode, command: ReturnType<typeof resume>[number]): void {
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

  /**
   * Carry out a command of `resume` at `at` if the node is still where it was: a start call of
   * the previous process may still land, and a `find` before then would miss its job.
   */
  #carryOutLater(node: EngineNode, command: ReturnType<typeof resume>[number], at: number): void {
    const handle = this.#clock.setTimer(at, () => {
      this.#delayed.delete(handle);
      const current = this.#processor.nodes.get(node.id);
      if (this.#phase !== 'running' || current === undefined) return;
      if (current.attempt !== node.attempt || current.state.kind !== node.state.kind) return;
      this.#carryOut(current, command);
      this.#scheduleTick();
    });
    this.#delayed.add(handle);
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
      const written = await this.#write(nodes, batch.history);
      if (!written) return;
    }
    this.#afterWrite(batch, nodes);
  }

  async #write(nodes: readonly EngineNode[], history: readonly HistoryEntry[]): Promise<boolean> {
    const failure = await writeTransitions(
      this.#store,
      this.#clock,
      this.config,
      { nodes, history },
      (error) => {
        this.#lastError = messageOf(error);
      },
    );
    if (failure === null) return true;
    this.#fail(failure);
    return false;
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
    for (const handle of this.#delayed) handle.cancel();
    this.#delayed.clear();
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
