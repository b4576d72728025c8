import type { LatencySummary } from './latency-summary.js';

/**
 * The per-route table of the report, in Markdown (as docs/benchmarks/server-load.md shows it):
 * count, errors, p50/p95/p99/max of the busy window, and p50/p95 of the idle one when given.
 */
export function routeTable(
  routes: readonly LatencySummary[],
  idle?: readonly LatencySummary[] | undefined,
): string {
  const idleOf = new Map((idle ?? []).map((r) => [r.route, r]));
  const header = ['route', 'count', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'];
  if (idle !== undefined) header.push('idle p50', 'idle p95');
  header.push('bytes');
  const rows = routes.map((r) => {
    const i = idleOf.get(r.route);
    const cells: (string | number)[] = [r.route, r.count, r.errors, r.p50, r.p95, r.p99, r.max];
    if (idle !== undefined) cells.push(i?.p50 ?? '', i?.p95 ?? '');
    cells.push(r.meanBytes);
    return cells.map(String);
  });
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`;
  const rule = widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`));
  return [line(header), `| ${rule.join(' | ')} |`, ...rows.map(line)].join('\n');
}
