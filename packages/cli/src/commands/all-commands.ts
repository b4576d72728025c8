import type { CommandRegistration } from '../command-registry.js';
import { initCommand } from './init-command.js';
import { killCommand, restartCommand } from './kill-restart-commands.js';
import { listCommand } from './list-command.js';
import { logsCommand } from './logs-command.js';
import { printConfigurationCommand } from './print-configuration-command.js';
import { queryCommand } from './query-command.js';
import { showCommand } from './show-command.js';
import { statusCommand } from './status-command.js';
import { tokenCommand } from './token-command.js';
import { versionCommand } from './version-command.js';

/** Every command of `ketrew`, in the order `--help` lists them. */
export const COMMANDS: readonly CommandRegistration[] = [
  initCommand,
  printConfigurationCommand,
  statusCommand,
  listCommand,
  showCommand,
  logsCommand,
  killCommand,
  restartCommand,
  queryCommand,
  tokenCommand,
  versionCommand,
];
