import { cpus } from 'node:os';

/** The machine a benchmark runs on, for its report. */
export function machine(): { cpus: number; cpuModel: string; node: string } {
  const list = cpus();
  return { cpus: list.length, cpuModel: list[0]?.model.trim() ?? 'unknown', node: process.version };
}
