/** One measured figure of a benchmark. */
export interface Measurement {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The goal, if the project has one, e.g. `>= 100000` or `<= 5000`. */
  readonly goal?: { readonly op: '>=' | '<='; readonly value: number } | undefined;
  readonly detail?: string | undefined;
}

export interface BenchReport {
  readonly benchmark: string;
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string };
  readonly measurements: readonly Measurement[];
}

/** Whether a measurement meets its goal (`true` when it has none). */
export function meetsGoal(m: Measurement): boolean {
  if (m.goal === undefined) return true;
  return m.goal.op === '>=' ? m.value >= m.goal.value : m.value <= m.goal.value;
}

/** A plain-text table of a report, one line per measurement. */
export function formatTable(report: BenchReport): string {
  const rows = report.measurements.map((m) => [
    m.name,
    `${formatNumber(m.value)} ${m.unit}`,
    m.goal === undefined ? '' : `${m.goal.op} ${formatNumber(m.goal.value)}`,
    m.goal === undefined ? '' : meetsGoal(m) ? 'ok' : 'MISSED',
    m.detail ?? '',
  ]);
  const header = ['measurement', 'value', 'goal', '', 'detail'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [
    `${report.benchmark} — ${report.date}, ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

function formatNumber(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}
