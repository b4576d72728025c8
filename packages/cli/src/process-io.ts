import { homedir } from 'node:os';
import type { CliIo, OutputStream } from './cli-io.js';

/**
 * The real process's I/O. Ctrl-C (SIGINT) and SIGTERM abort the returned signal; a second one
 * exits at once.
 */
export function processIo(): CliIo {
  const controller = new AbortController();
  const stop = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(Object.assign(new Error('interrupted'), { name: 'AbortError' }));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const stream = (s: NodeJS.WriteStream): OutputStream => ({
    write: (text) => {
      s.write(text);
    },
    get isTTY() {
      return s.isTTY === true;
    },
    get columns() {
      return s.isTTY === true ? s.columns : undefined;
    },
  });
  return {
    stdout: stream(process.stdout),
    stderr: stream(process.stderr),
    env: process.env,
    cwd: process.cwd(),
    home: homedir(),
    signal: controller.signal,
    scriptPath: process.argv[1],
  };
}
