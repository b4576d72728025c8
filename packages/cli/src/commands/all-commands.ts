import type { CommandRegistration } from '../command-registry.js';
import { guiCommand } from './gui-command.js';
import { initCommand } from './init-command.js';
import { killCommand, restartCommand } from './kill-restart-commands.js';
import { listCommand } from './list-command.js';
import { logsCommand } from './logs-command.js';
import { printConfigurationCommand } from './print-configuration-command.js';
import { queryCommand } from './query-command.js';
import { showCommand } from './show-command.js';
import { startServerCommand } from './start-server-command.js';
import { statusCommand } from './status-command.js';
import { stopServerCommand } from './stop-server-command.js';
import { submitCommand } from './submit-command.js';
import { syncCommand } from './sync-command.js';
import { tokenCommand } from './token-command.js';
import { versionCommand } from './version-command.js';

/** Every command of `ketrew`, in the order `--help` lists them. */
export const COMMANDS: readonly CommandRegistration[] = [
  initCommand,
  printConfigurationCommand,
  startServerCommand,
  stopServerCommand,
  statusCommand,
  submitCommand,
  listCommand,
  showCommand,
  logsCommand,
  killCommand,
  restartCommand,
  queryCommand,
  guiCommand,
  syncCommand,
  tokenCommand,
  versionCommand,
];
