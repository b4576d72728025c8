import {
  UnsupportedOperationError,
  type BackendQuery,
  type LogChunk,
  type LogStream,
} from '@ketrew/engine';
import { monitoredFilePath, type MonitoredFile } from '../monitored-script/monitored-files.js';
import {
  doing,
  transportOf,
  type DaemonizeContext,
  commandTimeoutMs,
} from './daemonize-context.js';
import type { DaemonizeRunState } from './daemonize-run-state.js';

const FILE_OF_STREAM: Readonly<Record<LogStream, MonitoredFile>> = {
  stdout: 'stdout',
  stderr: 'stderr',
  log: 'log',
  script: 'script',
};

/** The largest file a query returns whole; bigger ones give their last bytes. */
const QUERY_MAX_BYTES = 1024 * 1024;

export const DAEMONIZE_QUERIES: readonly BackendQuery[] = [
  { name: 'stdout', description: 'Standard output of the commands (the `out` file).' },
  { name: 'stderr', description: 'Standard error of the commands (the `err` file).' },
  { name: 'log', description: 'The monitored script’s log: each command, its exit code, times.' },
  { name: 'script', description: 'The generated monitored script.' },
  { name: 'check-process', description: 'The live processes of the job’s process group (ps).' },
];

/** A slice of one of the run's files from byte `offset`; a missing file is empty. */
export async function readRunLog(
  context: DaemonizeContext,
  run: DaemonizeRunState,
  options: {
    readonly stream: LogStream;
    readonly offset?: number | undefined;
    readonly length?: number | undefined;
  },
): Promise<LogChunk> {
  const offset = options.offset ?? 0;
  const path = monitoredFilePath(run.playground, FILE_OF_STREAM[options.stream]);
  const content = await doing(`cannot read ${path}`, () =>
    transportOf(context, run.host).readFile(path, { offset, length: options.length }),
  );
  const text = content ?? '';
  return { content: text, nextOffset: offset + Buffer.byteLength(text, 'utf8') };
}

/** Run one of `DAEMONIZE_QUERIES`. */
export async function runDaemonizeQuery(
  context: DaemonizeContext,
  run: DaemonizeRunState,
  name: string,
): Promise<string> {
  const transport = transportOf(context, run.host);
  if (name === 'check-process') {
    const result = await doing(`cannot list the processes of ${run.host.name}`, () =>
      transport.run(
        { argv: ['ps', '-A', '-o', 'pid,pgid,ppid,stat,etime,args'] },
        { timeoutMs: commandTimeoutMs(context, transport.host) },
      ),
    );
    const [header = '', ...lines] = result.stdout.split('\n');
    // Columns: pid pgid ppid stat …; zombies (exited, never reaped) are left out.
    const members = lines.filter((line) => {
      const [, pgid, , stat = 'Z'] = line.trim().split(/\s+/);
      return pgid === String(run.pid) && !stat.startsWith('Z');
    });
    return members.length === 0
      ? `No live process of group ${run.pid} on ${run.host.name}.\n`
      : [header, ...members, ''].join('\n');
  }
  const stream = Object.hasOwn(FILE_OF_STREAM, name) ? (name as LogStream) : null;
  if (stream === null) throw new UnsupportedOperationError('daemonize', `query ${name}`);
  const path = monitoredFilePath(run.playground, FILE_OF_STREAM[stream]);
  const size = (await doing(`cannot stat ${path}`, () => transport.stat(path)))?.size ?? 0;
  const start = Math.max(0, size - QUERY_MAX_BYTES);
  const chunk = await readRunLog(context, run, { stream, offset: start });
  return start === 0 ? chunk.content : `[… first ${start} bytes left out]\n${chunk.content}`;
}
