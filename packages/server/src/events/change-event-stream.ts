import type { Change, Store } from '@ketrew/engine';
import type { ChangeFeedHub } from './change-feed-hub.js';

const BATCH = 500;

export interface ChangeEventStreamOptions {
  readonly store: Store;
  readonly hub: ChangeFeedHub;
  /** Send changes with a cursor greater than this; `null`: from the feed's tip (now). */
  readonly since: number | null;
  readonly heartbeatIntervalMs: number;
  /** Aborted when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
}

/**
 * The Server-Sent Events of the change feed (docs/api.md): a `ready` event carrying the start
 * cursor, then one `change` event per store change, each with `id: <cursor>` so that
 * `Last-Event-ID` resumes exactly after the last one received; a `: heartbeat` comment whenever
 * nothing was sent for `heartbeatIntervalMs`. Changes are read from the store with the stream's
 * own cursor, so none is skipped or repeated however far behind the client is.
 */
export async function* changeEventStream(
  options: ChangeEventStreamOptions,
): AsyncGenerator<string> {
  const { store, hub, signal } = options;
  let cursor = options.since ?? (await hub.tip());
  yield `retry: 2000\nid: ${cursor}\nevent: ready\ndata: ${JSON.stringify({ cursor })}\n\n`;
  let lastSentAt = Date.now();
  while (!signal.aborted) {
    const changes = await store.changesSince(cursor, BATCH);
    if (changes.length > 0) {
      yield changes.map(formatChange).join('');
      cursor = changes.at(-1)?.cursor ?? cursor;
      lastSentAt = Date.now();
      if (changes.length === BATCH) continue;
    }
    const heartbeatDue = lastSentAt + options.heartbeatIntervalMs - Date.now();
    if (heartbeatDue <= 0) {
      yield `: heartbeat ${Date.now()}\n\n`;
      lastSentAt = Date.now();
      continue;
    }
    await waitForChangeOrTimeout(hub, cursor, signal, heartbeatDue);
  }
}

function formatChange(change: Change): string {
  const data = {
    cursor: change.cursor,
    nodeId: change.nodeId,
    state: change.state,
    time: change.time,
  };
  return `id: ${change.cursor}\nevent: change\ndata: ${JSON.stringify(data)}\n\n`;
}

async function waitForChangeOrTimeout(
  hub: ChangeFeedHub,
  cursor: number,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<void> {
  const done = new AbortController();
  const onAbort = (): void => done.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(onAbort, timeoutMs);
  try {
    await hub.waitForChangeAfter(cursor, done.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    done.abort();
  }
}

/**
 * Wrap the generator in a byte stream with backpressure (the next events are produced only
 * when the client has taken the previous ones); cancelling it (the client went away) stops the
 * generator.
 */
export function toEventStream(
  events: AsyncGenerator<string>,
  onEnd: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await events.next();
        if (next.done === true) {
          controller.close();
          onEnd();
        } else {
          controller.enqueue(encoder.encode(next.value));
        }
      } catch (error) {
        controller.error(error);
        onEnd();
      }
    },
    async cancel() {
      onEnd();
      await events.return(undefined);
    },
  });
}
