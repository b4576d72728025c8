import type { ReadSample } from './open-loop.js';

/** The value at quantile q (0..1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Latency figures of a set of requests (ms), errors included in the count, not in the times. */
export interface LatencySummary {
  readonly route: string;
  readonly count: number;
  readonly errors: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Mean size of the answers, bytes. */
  readonly meanBytes: number;
  /** Up to three distinct error messages, for the report. */
  readonly firstErrors: readonly string[];
}

const ms = (value: number): number => Math.round(value * 10) / 10;

/**
 * One summary per route (in the order routes first appear in `routeOrder`, then any other), and
 * one for every request (`route: 'all'`). Latencies of failed requests are left out of the
 * percentiles (a fast 500 must not look good); they are counted in `errors`.
 */
export function summarize(
  samples: readonly ReadSample[],
  routeOrder: readonly string[] = [],
): LatencySummary[] {
  const routes = [...new Set([...routeOrder, ...samples.map((s) => s.route)])];
  const one = (route: string, of: readonly ReadSample[]): LatencySummary => {
    const ok = of.filter((s) => s.error === null).map((s) => s.latencyMs);
    const errors = of.filter((s) => s.error !== null);
    return {
      route,
      count: of.length,
      errors: errors.length,
      p50: ms(quantile(ok, 0.5)),
      p95: ms(quantile(ok, 0.95)),
      p99: ms(quantile(ok, 0.99)),
      max: ms(ok.length === 0 ? Number.NaN : Math.max(...ok)),
      meanBytes: of.length === 0 ? 0 : Math.round(of.reduce((n, s) => n + s.bytes, 0) / of.length),
      firstErrors: [...new Set(errors.map((s) => s.error as string))].slice(0, 3),
    };
  };
  return [
    ...routes
      .map((route) =>
        one(
          route,
          samples.filter((s) => s.route === route),
        ),
      )
      .filter((summary) => summary.count > 0),
    one('all', samples),
  ];
}
