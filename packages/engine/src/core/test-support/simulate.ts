import type { NodeSpec } from '@ketrew/edsl';
import type { CoreConfig } from '../core-config.js';
import type { NodeCommand } from '../commands.js';
import type { EngineNode } from '../engine-node.js';
import type { NodeEvent } from '../events.js';
import { transition } from '../transition.js';
import { resume } from '../resume.js';
import { createEngineNode } from '../create-engine-node.js';
import { awaitedIds } from '../activation-change.js';
import { findOrphans } from '../find-orphans.js';
import { SeededRandom } from './seeded-random.js';
import { transitionViolations } from './simulation-invariants.js';

/*
 * Test-only: a tiny runtime around the pure core, with a fake backend whose answers, errors and
 * delays are random (seeded), user kills and restarts, crashes of the engine (everything in
 * flight is lost, nodes are resumed from their stored state) and orphan sweeps. It checks the
 * invariants of docs/state-machine.md as it goes and returns what it saw.
 */

type EventBody = NodeEvent extends infer E ? (E extends unknown ? Omit<E, 'time'> : never) : never;
type Operation = Extract<NodeCommand, { readonly kind: 'evaluate-condition' | 'start' | 'kill' }>;
type Pending =
  | { readonly kind: 'operation'; readonly id: string; readonly command: Operation }
  | { readonly kind: 'answer'; readonly id: string; readonly event: EventBody }
  | {
      readonly kind: 'wake-up';
      readonly id: string;
      readonly at: number;
      readonly event: EventBody;
    };
type JobStatus = 'running' | 'succeeded' | 'failed' | 'killed' | 'lost';

export interface SimulatedNode {
  readonly spec: NodeSpec;
  readonly equivalentTo: string | null;
}

export interface SimulationOptions {
  readonly nodes: readonly SimulatedNode[];
  readonly seed: number;
  readonly config: CoreConfig;
  /** Steps with errors, kills, restarts, crashes and sweeps, before a calm drain. */
  readonly chaosSteps: number;
  readonly kills: boolean;
  readonly restarts: boolean;
  readonly crashes: boolean;
}

export interface SimulationResult {
  readonly nodes: ReadonlyMap<string, EngineNode>;
  readonly violations: readonly string[];
  /** Nodes that left `passive` at some point. */
  readonly activated: ReadonlySet<string>;
  /** Job name → how many times the backend submitted it. */
  readonly submissions: ReadonlyMap<string, number>;
  readonly restartsOf: ReadonlyMap<string, number>;
  /** How many times each event kind changed a node (to see what a run exercised). */
  readonly exercised: ReadonlyMap<string, number>;
}

const MAX_DRAIN_STEPS = 20_000;

export function simulate(options: SimulationOptions): SimulationResult {
  return new Simulation(options).run();
}

class Simulation {
  readonly #options: SimulationOptions;
  readonly #random: SeededRandom;
  readonly #nodes = new Map<string, EngineNode>();
  readonly #dependents = new Map<string, string[]>();
  readonly #jobs = new Map<string, JobStatus>();
  readonly #submissions = new Map<string, number>();
  readonly #restartsOf = new Map<string, number>();
  readonly #activated = new Set<string>();
  readonly #orphaned = new Set<string>();
  readonly #exercised = new Map<string, number>();
  readonly #violations: string[] = [];
  #pending: Pending[] = [];
  #watched = new Set<string>();
  readonly #internal: { readonly id: string; readonly event: EventBody }[] = [];
  #time = 1_000_000;
  #calm = false;
  #restarted = false;

  constructor(options: SimulationOptions) {
    this.#options = options;
    this.#random = new SeededRandom(options.seed);
    for (const { spec, equivalentTo } of options.nodes) {
      const node = createEngineNode(spec, 'wf', this.#time, { equivalentTo });
      this.#nodes.set(node.id, node);
      for (const awaited of awaitedIds(node)) {
        this.#dependents.set(awaited, [...(this.#dependents.get(awaited) ?? []), node.id]);
      }
    }
  }

  run(): SimulationResult {
    for (const node of this.#nodes.values()) {
      if (node.spec.active) this.#internal.push({ id: node.id, event: activateByUser });
    }
    this.#settle();
    for (let step = 0; step < this.#options.chaosSteps; step++) this.#step();
    this.#calm = true;
    let drained = 0;
    while (this.#hasWork() && drained++ < MAX_DRAIN_STEPS) this.#step();
    this.#finalChecks();
    return {
      nodes: this.#nodes,
      violations: this.#violations,
      activated: this.#activated,
      submissions: this.#submissions,
      restartsOf: this.#restartsOf,
      exercised: this.#exercised,
    };
  }

  #hasWork(): boolean {
    return this.#pending.length > 0 || this.#watched.size > 0;
  }

  #step(): void {
    this.#time += this.#random.below(2_000);
    const choices: [number, () => void][] = [];
    const operations = this.#pending.filter((item) => item.kind !== 'wake-up');
    if (operations.length > 0)
      choices.push([5, () => this.#process(this.#random.pick(operations))]);
    if (this.#watched.size > 0)
      choices.push([3, () => this.#poll(this.#random.pick([...this.#watched]))]);
    if (this.#pending.some((item) => item.kind === 'wake-up'))
      choices.push([1, () => this.#wakeUpFirst()]);
    if (!this.#calm) {
      const ids = [...this.#nodes.keys()];
      if (this.#options.kills)
        choices.push([
          0.2,
          () => this.#apply(this.#random.pick(ids), { kind: 'kill', message: 'chaos' }),
        ]);
      if (this.#options.restarts) choices.push([0.2, () => this.#restartOne()]);
      if (this.#options.crashes) choices.push([0.6, () => this.#crash()]);
      choices.push([0.2, () => this.#sweepOrphans()]);
    }
    if (choices.length === 0) return;
    let roll = this.#random.next() * choices.reduce((sum, [weight]) => sum + weight, 0);
    for (const [weight, action] of choices) {
      roll -= weight;
      if (roll < 0) {
        action();
        break;
      }
    }
    this.#settle();
  }

  #process(item: Pending): void {
    this.#pending = this.#pending.filter((other) => other !== item);
    if (item.kind === 'answer') return this.#apply(item.id, item.event);
    if (item.kind === 'wake-up') return this.#apply(item.id, item.event);
    const answer = (event: EventBody): void => {
      this.#pending.push({ kind: 'answer', id: item.id, event });
    };
    const trouble = !this.#calm && this.#random.chance(0.15);
    const command = item.command;
    switch (command.kind) {
      case 'evaluate-condition':
        if (trouble) return answer(this.#backendFailed('condition'));
        return answer({ kind: 'condition-evaluated', value: this.#random.chance(0.5) });
      case 'start': {
        const run = { job: command.jobName };
        if (this.#jobs.has(command.jobName)) {
          if (!command.findFirst) this.#violate(`${command.jobName} started twice`);
          return answer({ kind: 'found', run });
        }
        if (trouble && this.#random.chance(0.5)) return answer(this.#backendFailed('start'));
        this.#jobs.set(command.jobName, 'running');
        this.#submissions.set(command.jobName, (this.#submissions.get(command.jobName) ?? 0) + 1);
        // A recoverable error that hides a successful submission.
        if (trouble)
          return answer({
            kind: 'backend-failed',
            phase: 'start',
            recoverable: true,
            message: 'hidden',
          });
        return answer({ kind: 'started', run });
      }
      case 'kill':
        if (trouble) return answer(this.#backendFailed('kill'));
        if (command.jobName !== null && this.#jobs.get(command.jobName) === 'running') {
          this.#jobs.set(command.jobName, 'killed');
        }
        return answer({ kind: 'kill-succeeded' });
    }
  }

  #backendFailed(phase: 'condition' | 'start' | 'poll' | 'kill'): EventBody {
    return {
      kind: 'backend-failed',
      phase,
      recoverable: this.#random.chance(0.7),
      message: 'chaos',
    };
  }

  #poll(id: string): void {
    const state = this.#nodes.get(id)?.state;
    if (state?.kind !== 'running') {
      this.#watched.delete(id);
      return;
    }
    const job = this.#jobs.get(state.jobName);
    if (!this.#calm && this.#random.chance(0.1))
      return this.#apply(id, this.#backendFailed('poll'));
    if (job === 'killed') {
      return this.#apply(id, {
        kind: 'polled',
        status: { kind: 'failed', reason: { kind: 'killed' } },
      });
    }
    // Calm: the job always ends. Otherwise it may also still be running.
    const roll = this.#calm ? 0.5 + this.#random.next() / 2 : this.#random.next();
    const end = (status: JobStatus): void => {
      this.#jobs.set(state.jobName, status);
    };
    if (roll < 0.5) {
      const run = this.#random.chance(0.5) ? { ...state.run, seen: this.#time } : undefined;
      const status =
        run === undefined ? { kind: 'running' as const } : { kind: 'running' as const, run };
      return this.#apply(id, { kind: 'polled', status });
    }
    if (roll < 0.75) {
      end('succeeded');
      return this.#apply(id, { kind: 'polled', status: { kind: 'succeeded' } });
    }
    if (roll < 0.9) {
      end('failed');
      return this.#apply(id, {
        kind: 'polled',
        status: { kind: 'failed', reason: { kind: 'non-zero-exit', code: 1 } },
      });
    }
    end('lost');
    return this.#apply(id, { kind: 'polled', status: { kind: 'lost', message: 'gone' } });
  }

  #wakeUpFirst(): void {
    const wakeUps = this.#pending.filter((item) => item.kind === 'wake-up');
    const first = wakeUps.reduce((a, b) => (b.at < a.at ? b : a));
    this.#time = Math.max(this.#time, first.at);
    this.#process(first);
  }

  #restartOne(): void {
    const finished = [...this.#nodes.values()].filter((node) => node.state.kind === 'finished');
    if (finished.length === 0) return;
    const node = this.#random.pick(finished);
    this.#restarted = true;
    this.#restartsOf.set(node.id, (this.#restartsOf.get(node.id) ?? 0) + 1);
    this.#apply(node.id, { kind: 'restart' });
  }

  /** Everything in flight is lost; nodes come back from their stored state through `resume`. */
  #crash(): void {
    this.#pending = [];
    this.#watched = new Set();
    for (const node of this.#nodes.values()) {
      for (const command of resume(node)) this.#carryOut(node, command);
    }
    for (const node of this.#nodes.values()) this.#checkReady(node.id);
  }

  #sweepOrphans(): void {
    for (const id of findOrphans(this.#nodes.values())) {
      this.#orphaned.add(id);
      this.#apply(id, { kind: 'orphaned' });
    }
  }

  #settle(): void {
    for (let item = this.#internal.shift(); item !== undefined; item = this.#internal.shift()) {
      this.#apply(item.id, item.event);
    }
  }

  #apply(id: string, event: EventBody): void {
    const before = this.#nodes.get(id);
    if (before === undefined) return;
    const result = transition(
      before,
      { ...event, time: this.#time } as NodeEvent,
      this.#options.config,
    );
    if (result.node !== before) {
      this.#exercised.set(event.kind, (this.#exercised.get(event.kind) ?? 0) + 1);
      if (before.state.kind === 'passive') this.#activated.add(id);
    }
    this.#nodes.set(id, result.node);
    const allowedAttempts = (before.spec.retry?.attempts ?? 1) + (this.#restartsOf.get(id) ?? 0);
    for (const problem of transitionViolations(before, result, {
      nodes: this.#nodes,
      allowedAttempts,
      maximumErrors: this.#options.config.maximumSuccessiveAttempts,
    })) {
      this.#violate(problem);
    }
    for (const command of result.commands) this.#carryOut(result.node, command);
    if (result.node !== before && result.node.state.kind === 'building') this.#checkReady(id);
  }

  #carryOut(node: EngineNode, command: NodeCommand): void {
    switch (command.kind) {
      case 'evaluate-condition':
      case 'start':
      case 'kill':
        this.#pending.push({ kind: 'operation', id: node.id, command });
        return;
      case 'watch':
        this.#watched.add(node.id);
        return;
      case 'activate':
        for (const target of command.ids) {
          if (this.#orphaned.has(target) && !this.#restarted) {
            this.#violate(`${target} was declared an orphan, then activated by ${node.id}`);
          }
          this.#internal.push({ id: target, event: { kind: 'activate', by: command.by } });
        }
        return;
      case 'wake-up': {
        const event = {
          kind: 'wake-up',
          reason: command.reason,
          attempt: command.attempt,
        } as const;
        this.#pending.push({ kind: 'wake-up', id: node.id, at: command.at, event });
        return;
      }
      case 'release-dependents':
        for (const dependent of this.#dependents.get(node.id) ?? []) this.#checkReady(dependent);
        return;
      case 'notify':
        return;
    }
  }

  /** What the runtime's dependency counters do: tell a building node its dependencies are done. */
  #checkReady(id: string): void {
    const node = this.#nodes.get(id);
    if (node?.state.kind !== 'building') return;
    const awaited = awaitedIds(node).map((other) => this.#nodes.get(other)?.state);
    const failed = awaitedIds(node).filter((_, i) => {
      const state = awaited[i];
      return state?.kind === 'finished' && state.outcome === 'failed';
    });
    if (failed.length > 0) {
      this.#internal.push({ id, event: { kind: 'dependencies-failed', ids: failed } });
    } else if (
      awaited.every((state) => state?.kind === 'finished' && state.outcome === 'successful')
    ) {
      this.#internal.push({ id, event: { kind: 'dependencies-succeeded' } });
    }
  }

  #finalChecks(): void {
    if (this.#hasWork()) this.#violate('the simulation did not settle');
    for (const node of this.#nodes.values()) {
      const kind = node.state.kind;
      if (kind !== 'finished' && kind !== 'passive') this.#violate(`${node.id} left in ${kind}`);
      if (this.#activated.has(node.id) && kind !== 'finished')
        this.#violate(`${node.id} activated, never finished`);
    }
    const passive = [...this.#nodes.values()].filter((node) => node.state.kind === 'passive');
    if (findOrphans(this.#nodes.values()).length !== passive.length) {
      this.#violate('a passive node is left that is not an orphan');
    }
    for (const [jobName, count] of this.#submissions) {
      if (count > 1) this.#violate(`${jobName} submitted ${count} times`);
    }
  }

  #violate(message: string): void {
    if (this.#violations.length < 20) this.#violations.push(`t=${this.#time}: ${message}`);
  }
}

const activateByUser: EventBody = { kind: 'activate', by: { kind: 'user' } };
