import { CliError } from '../errors.js';

/**
 * Split `--daemonize HOST,CMD` (the original's form, e.g. `/tmp/KT,du -sh $HOME`). The host
 * ends at the first comma not followed by `-`, so that an SSH URI's `?shell=bash,-l,-c` stays
 * in the host: `ssh://me@h/kt?shell=bash,-l,-c,make all` → host `ssh://me@h/kt?shell=bash,-l,-c`,
 * command `make all`.
 */
export function splitDaemonizeOption(text: string): {
  readonly host: string;
  readonly command: string;
} {
  for (let i = text.indexOf(','); i >= 0; i = text.indexOf(',', i + 1)) {
    const rest = text.slice(i + 1);
    if (!rest.startsWith('-')) {
      const host = text.slice(0, i).trim();
      const command = rest.trim();
      if (host === '') break;
      if (command === '')
        throw new CliError('usage', `--daemonize "${text}": the command after the comma is empty`);
      return { host, command };
    }
  }
  throw new CliError(
    'usage',
    `--daemonize expects HOST,COMMAND (e.g. /tmp/KT,"du -sh $HOME"), got "${text}"`,
  );
}
