import type { NodeEvent } from '../core/events.js';

type WithoutTime<E> = E extends unknown ? Omit<E, 'time'> : never;

/** A `NodeEvent` before the runtime stamps it with the clock's time. */
export type NodeEventBody = WithoutTime<NodeEvent>;
