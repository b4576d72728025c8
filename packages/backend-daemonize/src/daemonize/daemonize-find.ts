import type { BuildProcessSpec, NodeSpec } from '@ketrew/edsl';
import { escapeLogField } from '../monitored-script/log-field.js';
import { monitoredFilePath, parsePidFile } from '../monitored-script/monitored-files.js';
import { doing, transportOf, type DaemonizeContext } from './daemonize-context.js';
import { attemptOfJobName, playgroundOf } from './daemonize-playground.js';
import type { DaemonizeRunState } from './daemonize-run-state.js';
import { daemonizeSpecOf } from './daemonize-spec.js';

/**
 * Find the job started under `jobName` (after a crash between the start intent and its answer):
 * the playground of the job name's attempt must hold a script whose header names that job and a
 * pid file. `null` otherwise (never launched, or launched without ever writing its pid).
 */
export async function findDaemonizeJob(
  context: DaemonizeContext,
  jobName: string,
  make: BuildProcessSpec,
  node: NodeSpec,
): Promise<DaemonizeRunState | null> {
  const spec = daemonizeSpecOf(make);
  const transport = transportOf(context, spec.host);
  const attempt = attemptOfJobName(jobName);
  if (attempt === null) return null;
  const playground = playgroundOf(spec.host, node.id, attempt, context.defaultPlayground);
  return doing(`cannot look for ${jobName} in ${playground}`, async () => {
    const header = await transport.readFile(monitoredFilePath(playground, 'script'), {
      offset: 0,
      length: 4096,
    });
    if (header === null || !header.split('\n').includes(`# job: ${escapeLogField(jobName)}`)) {
      return null;
    }
    const pidPath = monitoredFilePath(playground, 'pid');
    const pid = parsePidFile(await transport.readFile(pidPath));
    if (pid === null) return null;
    const pidStat = await transport.stat(pidPath);
    return {
      backend: 'daemonize',
      version: 1,
      host: spec.host,
      playground,
      pid,
      jobName,
      startedAt: pidStat?.mtimeMs ?? context.now(),
      using: spec.using,
    };
  });
}
