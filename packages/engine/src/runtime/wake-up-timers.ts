import type { WakeUpReason } from '../core/events.js';
import type { Clock, TimerHandle } from './clock.js';
import { MinHeap } from './min-heap.js';

export interface DueWakeUp {
  readonly nodeId: string;
  readonly reason: WakeUpReason;
  readonly attempt: number;
}

interface Entry extends DueWakeUp {
  readonly at: number;
  readonly seq: number;
}

/**
 * The core's `wake-up` commands, kept in a heap with a single clock timer armed for the earliest
 * one, so 100,000 node timeouts cost one timer. A node has at most one pending wake-up per
 * reason: scheduling again replaces it.
 */
export class WakeUpTimers {
  readonly #clock: Clock;
  readonly #onDue: (due: readonly DueWakeUp[]) => void;
  readonly #heap = new MinHeap<Entry>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  /** Live entry per `nodeId reason`; heap entries not in here are stale. */
  readonly #live = new Map<string, Entry>();
  #seq = 0;
  #armed: { readonly at: number; readonly handle: TimerHandle } | null = null;
  #stopped = false;

  constructor(clock: Clock, onDue: (due: readonly DueWakeUp[]) => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  get size(): number {
    return this.#live.size;
  }

  schedule(nodeId: string, at: number, reason: WakeUpReason, attempt: number): void {
    const entry: Entry = { nodeId, reason, attempt, at, seq: this.#seq++ };
    this.#live.set(`${nodeId} ${reason}`, entry);
    this.#heap.push(entry);
    this.#arm();
  }

  /** Forget every pending wake-up of this node. */
  cancelNode(nodeId: string): void {
    // Called for every finished node: most never had a wake-up, so spare the keys' strings.
    if (this.#live.size === 0) return;
    for (const reason of ['retry-phase', 'next-attempt', 'timeout'] as const) {
      this.#live.delete(`${nodeId} ${reason}`);
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#armed?.handle.cancel();
    this.#armed = null;
  }

  #arm(): void {
    if (this.#stopped) return;
    const next = this.#peekLive();
    if (next === undefined) return;
    if (this.#armed !== null && this.#armed.at <= next.at) return;
    this.#armed?.handle.cancel();
    this.#armed = { at: next.at, handle: this.#clock.setTimer(next.at, () => this.#fire()) };
  }

  #fire(): void {
    this.#armed = null;
    const now = this.#clock.now();
    const due: DueWakeUp[] = [];
    for (
      let next = this.#peekLive();
      next !== undefined && next.at <= now;
      next = this.#peekLive()
    ) {
      this.#heap.pop();
      this.#live.delete(`${next.nodeId} ${next.reason}`);
      due.push({ nodeId: next.nodeId, reason: next.reason, attempt: next.attempt });
    }
    this.#arm();
    if (due.length > 0) this.#onDue(due);
  }

  #peekLive(): Entry | undefined {
    for (let top = this.#heap.peek(); top !== undefined; top = this.#heap.peek()) {
      if (this.#live.get(`${top.nodeId} ${top.reason}`) === top) return top;
      this.#heap.pop();
    }
    return undefined;
  }
}
