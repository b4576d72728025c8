import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProgramSpec } from '@ketrew/edsl';
import {
  MONITORED_FILES,
  parseMonitoredLog,
  renderMonitoredScript,
  type MonitoredLog,
  type MonitoredScriptOptions,
} from '../src/index.js';

export interface MonitoredOutcome {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly out: Buffer;
  readonly err: string;
  readonly log: MonitoredLog;
  readonly logText: string;
  readonly pidFile: string | null;
  readonly pid: number;
}

const started = new Set<number>();

/** SIGKILL the groups of every script started here that may still run (test clean-up). */
export function killStartedGroups(): void {
  for (const pid of started) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  started.clear();
}

/** Start the monitored script of `program` in `playground` with real bash, in its own group. */
export async function startMonitored(
  program: ProgramSpec,
  playground: string,
  options: Partial<MonitoredScriptOptions> = {},
): Promise<{ pid: number; done: Promise<MonitoredOutcome> }> {
  const script = join(playground, MONITORED_FILES.script);
  await writeFile(script, renderMonitoredScript({ program, playground, ...options }));
  const child = spawn('bash', [script], { detached: true, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('bash did not start');
  started.add(pid);
  const done = new Promise<MonitoredOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => {
      void collect(playground).then(
        (files) => resolve({ exitCode, signal, pid, ...files }),
        reject,
      );
    });
  });
  return { pid, done };
}

/** Run the monitored script of `program` to its end. */
export async function runMonitored(
  program: ProgramSpec,
  playground: string,
  options: Partial<MonitoredScriptOptions> = {},
): Promise<MonitoredOutcome> {
  return (await startMonitored(program, playground, options)).done;
}

async function collect(playground: string) {
  const read = (name: string) => readFile(join(playground, name)).catch(() => null);
  const [out, err, log, pidFile] = await Promise.all([
    read(MONITORED_FILES.stdout),
    read(MONITORED_FILES.stderr),
    read(MONITORED_FILES.log),
    read(MONITORED_FILES.pid),
  ]);
  const logText = log?.toString('utf8') ?? '';
  return {
    out: out ?? Buffer.alloc(0),
    err: err?.toString('utf8') ?? '',
    log: parseMonitoredLog(logText),
    logText,
    pidFile: pidFile?.toString('utf8') ?? null,
  };
}
