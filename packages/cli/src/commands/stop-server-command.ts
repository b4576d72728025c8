import type { CommandRegistration } from '../command-registry.js';
import { sleep } from '../cli-io.js';
import { CliError } from '../errors.js';
import { spinnerFrame } from '../output/progress-line.js';
import {
  isProcessAlive,
  looksLikeKetrew,
  readPidFile,
  removePidFile,
} from '../server/server-process.js';
import { serverPart } from './start-server-command.js';

/** `ketrew stop-server` (alias `stop`): signal the server of the pid file and wait for it. */
export const stopServerCommand: CommandRegistration = (cli, select) =>
  cli.command(
    ['stop-server', 'stop'],
    'Stop the server started with start-server (running jobs keep running)',
    (y) =>
      y
        .option('timeout', {
          type: 'number',
          default: 30,
          describe: 'Seconds to wait for it to stop',
        })
        .option('force', {
          type: 'boolean',
          default: false,
          describe: 'Kill it (SIGKILL) if it has not stopped in time',
        }),
    (args) =>
      select(async (ctx) => {
        const { pidFile } = serverPart(ctx);
        const pid = readPidFile(pidFile);
        if (pid === null) {
          ctx.note(`No server is running (no pid file at ${pidFile}).`);
          return 0;
        }
        if (!isProcessAlive(pid) || !looksLikeKetrew(pid)) {
          removePidFile(pidFile, pid);
          ctx.note(`No server is running (removed the stale pid file ${pidFile}).`);
          return 0;
        }
        process.kill(pid, 'SIGTERM');
        const deadline = Date.now() + Math.max(0, args.timeout) * 1000;
        for (let tick = 0; isProcessAlive(pid); tick++) {
          if (Date.now() > deadline) {
            if (!args.force) {
              ctx.progress.clear();
              throw new CliError(
                'failure',
                `the server (pid ${pid}) is still running after ${args.timeout} s`,
                {
                  hint: 'Wait, or use --force to kill it.',
                },
              );
            }
            process.kill(pid, 'SIGKILL');
          }
          ctx.progress.update(`${spinnerFrame(tick)} stopping the server (pid ${pid})…`);
          await sleep(100, ctx.io.signal);
        }
        ctx.progress.clear();
        removePidFile(pidFile, pid);
        if (ctx.json) ctx.printJson({ stopped: pid });
        else ctx.print(`Server stopped (pid ${pid}).`);
        return 0;
      }),
  );
