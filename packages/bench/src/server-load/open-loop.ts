import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { PlannedRead } from './read-mix.js';

/** What became of one request. Times are ms. */
export interface ReadSample {
  readonly route: string;
  /** When it was due, from the start of the window. */
  readonly dueMs: number;
  /** How late the client sent it (its own event loop): part of `latencyMs`. */
  readonly sendLagMs: number;
  /** Due time → the whole answer read: what a client sending on schedule waits. */
  readonly latencyMs: number;
  /** HTTP status, `null` when there was no answer (network error, timeout). */
  readonly status: number | null;
  /** `null` for a 2xx answer; else what went wrong (status and the start of the body). */
  readonly error: string | null;
  readonly bytes: number;
}

export interface OpenLoopSettings {
  readonly baseUrl: string;
  readonly token: string;
  /** Requests per second. */
  readonly rate: number;
  /** The requests, sent in this order, `1000 / rate` ms apart. */
  readonly reads: readonly PlannedRead[];
  /** A request with no full answer after this long is an error. Default 10,000 ms. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Send `reads` open loop: request i is due at `i × 1000 / rate` ms from the start and is sent
 * then whether or not earlier ones were answered (no coordinated omission). Its latency is taken
 * from when it was due, not from when it was sent, so a client that fell behind, or a server that
 * holds the connection, shows in the figures instead of silently lowering the rate.
 */
export async function runOpenLoop(settings: OpenLoopSettings): Promise<ReadSample[]> {
  const interval = 1000 / settings.rate;
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const headers = { authorization: `Bearer ${settings.token}` };
  const start = performance.now();
  const send = async (read: PlannedRead, dueMs: number): Promise<ReadSample> => {
    const sendLagMs = performance.now() - start - dueMs;
    const done = (status: number | null, error: string | null, bytes: number): ReadSample => ({
      route: read.route,
      dueMs,
      sendLagMs,
      latencyMs: performance.now() - start - dueMs,
      status,
      error,
      bytes,
    });
    try {
      const response = await fetch(settings.baseUrl + read.path, {
        headers,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.ok) return done(response.status, null, body.byteLength);
      const text = new TextDecoder().decode(body.subarray(0, 300));
      return done(response.status, `HTTP ${response.status}: ${text}`, body.byteLength);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message;
      const message = `${(error as Error).name}: ${(error as Error).message}`;
      return done(null, why === undefined ? message : `${message} (${why})`, 0);
    }
  };
  const pending: Promise<ReadSample>[] = [];
  let next = 0;
  while (next < settings.reads.length) {
    const elapsed = performance.now() - start;
    const due = next * interval;
    if (due > elapsed) {
      await delay(due - elapsed);
      continue;
    }
    // Everything due by now goes out at once: a late timer does not lower the rate.
    while (next < settings.reads.length && next * interval <= performance.now() - start) {
      pending.push(send(settings.reads[next] as PlannedRead, next * interval));
      next++;
    }
  }
  return Promise.all(pending);
}
