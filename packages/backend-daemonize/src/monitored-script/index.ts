// The monitored script: pure text generation and parsing, shared by every shell-based backend
// (daemonize, SSH, Slurm, LSF, PBS). No process or file access here.
export { shellQuote, shellQuoteArgv } from './shell-quote.js';
export { escapeLogField, unescapeLogField } from './log-field.js';
export { programLeaves, type ProgramLeaf } from './program-leaves.js';
export {
  MONITORED_FILES,
  monitoredFilePath,
  parsePidFile,
  type MonitoredFile,
} from './monitored-files.js';
export {
  MONITORED_SCRIPT_FORMAT,
  renderMonitoredScript,
  type MonitoredScriptOptions,
} from './monitored-script.js';
export {
  parseMonitoredLog,
  type MonitoredLog,
  type MonitoredLogEntry,
  type MonitoredRunSummary,
} from './monitored-log.js';
