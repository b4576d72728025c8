import type { CommandRegistration } from '../command-registry.js';
import { CLI_VERSION } from '../version.js';

/** `ketrew version`: the CLI's version (and Node's). */
export const versionCommand: CommandRegistration = (cli, select) =>
  cli.command('version', 'Show the version of ketrew', {}, () =>
    select(async (ctx) => {
      if (ctx.json) ctx.printJson({ ketrew: CLI_VERSION, node: process.versions.node });
      else ctx.print(`ketrew ${CLI_VERSION} (Node ${process.versions.node})`);
    }),
  );
