import type { ProgramSpec } from '@ketrew/edsl';
import { escapeLogField } from './log-field.js';
import { MONITORED_FILES } from './monitored-files.js';
import { programLeaves, type ProgramLeaf } from './program-leaves.js';
import { shellQuote } from './shell-quote.js';

/** Version of the script layout and log format; written in the script's header. */
export const MONITORED_SCRIPT_FORMAT = 1;

export interface MonitoredScriptOptions {
  /** What to run; each leaf command is run and logged separately. */
  readonly program: ProgramSpec;
  /** Absolute path of the run's playground; the script `cd`s there and writes its files there. */
  readonly playground: string;
  /** Interpreter of the `#!` line. Default `/usr/bin/env bash`. Must be bash (≥ 3.2). */
  readonly shell?: string | undefined;
  /** Written in a header comment (`# job: …`) so a backend can recognise its job again. */
  readonly jobName?: string | undefined;
  /** Extra header lines after the `#!` line, e.g. `#SBATCH …` or `#PBS …` directives. */
  readonly directives?: readonly string[] | undefined;
  /**
   * Whether the script sends its own stdout/stderr (and so the commands') to `out`/`err` in the
   * playground, appending. Default `true`. A backend whose launcher already redirects to those
   * files may keep it: both append, nothing is overwritten.
   */
  readonly redirectOutput?: boolean | undefined;
  /**
   * Absolute path of an empty file the script creates when it ends (after its `success`,
   * `failure` or `killed` record), by a shell redirection: no process, and a failure to create
   * it (a directory gone, no permission) is ignored. A backend watching that file's directory
   * learns of the end at once instead of at its next poll. Default: none.
   */
  readonly notifyFile?: string | undefined;
}

/**
 * Render the monitored script: a bash script that runs a program's leaf commands one after the
 * other in one shell (so `cd` and variables carry over, as in the original Ketrew), stops at the
 * first failure, and records what happens in `<playground>/log`. The layout and the log format
 * are a contract, documented in docs/monitored-script.md.
 *
 * Contract of the generated script:
 * - first writes `$$` to `<playground>/pid` (it is started as a process group leader, so the pid
 *   is also the group to signal), then exits at once if `<playground>/abandoned` exists;
 * - logs `start`, `before-cmd`, `after-cmd`, then `success` or `failure`, or `killed <SIGNAL>`
 *   when it receives TERM, INT or HUP, then creates `notifyFile` (if given); each line is written by shell built-ins only (no process
 *   per line), stamped with `$EPOCHREALTIME` (bash ≥ 5), `printf '%(%s)T'` (bash ≥ 4.2) or, on
 *   older bash, one `date +%s` at start plus `$SECONDS`;
 * - `sh` leaves run through `eval` of the exact string; `exec` leaves as argv, each argument
 *   single-quoted; names starting with `__ketrew_` are reserved.
 *
 * @example
 * const text = renderMonitoredScript({
 *   program: { kind: 'sh', command: 'make all' },
 *   playground: '/tmp/ketrew/n1/1',
 * });
 */
export function renderMonitoredScript(options: MonitoredScriptOptions): string {
  if (!options.playground.startsWith('/')) {
    throw new Error(
      `playground must be an absolute path, got ${JSON.stringify(options.playground)}`,
    );
  }
  const playground = options.playground.replace(/\/+$/, '') || '/';
  const file = (name: string): string => `"$__ketrew_playground"/${shellQuote(name)}`;
  const header = [
    `#!${options.shell ?? '/usr/bin/env bash'}`,
    ...(options.directives ?? []),
    `# ketrew-monitored-script ${MONITORED_SCRIPT_FORMAT} (docs/monitored-script.md). Generated; do not edit.`,
    ...(options.jobName === undefined ? [] : [`# job: ${escapeLogField(options.jobName)}`]),
  ];
  const prologue = [
    `__ketrew_playground=${shellQuote(playground)}`,
    `__ketrew_log=${file(MONITORED_FILES.log)}`,
    ...(options.redirectOutput === false
      ? []
      : [`exec >>${file(MONITORED_FILES.stdout)} 2>>${file(MONITORED_FILES.stderr)} </dev/null`]),
    `cd "$__ketrew_playground" || exit 70`,
    `printf '%s\\n' "$$" >${file(MONITORED_FILES.pid)} || exit 71`,
    `if [ -e ${file(MONITORED_FILES.abandoned)} ]; then exit 75; fi`,
    notifyFunction(options.notifyFile),
  ];
  return [
    ...header,
    ...prologue,
    RUNTIME,
    '__ketrew_record start',
    ...programLeaves(options.program).flatMap(leafLines),
    '__ketrew_end 0',
    'exit 0',
    '',
  ].join('\n');
}

/**
 * `__ketrew_notify`, called once the end is recorded: creates the notify file with built-ins only
 * (`>|` so that a command's `set -C` cannot refuse it; `true` rather than `:`, whose redirection
 * errors end a POSIX-mode shell), never failing and never blocking (a regular file in a
 * directory of the backend's own).
 */
function notifyFunction(notifyFile: string | undefined): string {
  if (notifyFile === undefined) return '__ketrew_notify() { :; }';
  if (!notifyFile.startsWith('/')) {
    throw new Error(`notifyFile must be an absolute path, got ${JSON.stringify(notifyFile)}`);
  }
  return `__ketrew_notify() { { true >|${shellQuote(notifyFile)}; } 2>/dev/null || true; }`;
}

function leafLines(leaf: ProgramLeaf): string[] {
  const run = leaf.kind === 'sh' ? `eval ${shellQuote(leaf.command)}` : leaf.command;
  return [
    `__ketrew_before ${leaf.label} ${shellQuote(escapeLogField(leaf.command))}`,
    run,
    '__ketrew_after "$?"',
  ];
}

// The script's fixed part: clock, log writer, traps. Kept as one block so it reads as bash.
const RUNTIME = String.raw`if [ -n "${'$'}{EPOCHREALTIME:-}" ]; then
  __ketrew_now() { __ketrew_time=$EPOCHREALTIME; }
elif printf -v __ketrew_time '%(%s)T' -1 2>/dev/null; then
  __ketrew_now() { printf -v __ketrew_time '%(%s)T' -1; }
else
  __ketrew_time0=$(date +%s)
  SECONDS=0
  __ketrew_now() { __ketrew_time=$((__ketrew_time0 + SECONDS)); }
fi
__ketrew_record() {
  __ketrew_now
  local IFS=$'\t'
  printf '%s\t%s\n' "$__ketrew_time" "$*" >>"$__ketrew_log"
}
__ketrew_label=''
__ketrew_ended=0
__ketrew_end() {
  __ketrew_ended=1
  if [ "$1" -eq 0 ]; then
    __ketrew_record success
  else
    __ketrew_record failure "${'$'}{__ketrew_label:--}" returned "$1"
  fi
  __ketrew_notify
}
__ketrew_before() {
  __ketrew_label=$1
  __ketrew_record before-cmd "$1" "$2"
}
__ketrew_after() {
  __ketrew_record after-cmd "$__ketrew_label" returned "$1"
  if [ "$1" -ne 0 ]; then
    __ketrew_end "$1"
    exit "$1"
  fi
  __ketrew_label=''
}
__ketrew_on_exit() {
  local code=$?
  if [ "$__ketrew_ended" -eq 0 ]; then
    if [ -n "$__ketrew_label" ]; then
      __ketrew_record after-cmd "$__ketrew_label" returned "$code"
    fi
    __ketrew_end "$code"
  fi
}
__ketrew_on_signal() {
  if [ "$__ketrew_ended" -eq 0 ]; then
    __ketrew_ended=1
    __ketrew_record killed "$1"
    __ketrew_notify
  fi
  trap - EXIT
  exit "$2"
}
trap __ketrew_on_exit EXIT
trap '__ketrew_on_signal TERM 143' TERM
trap '__ketrew_on_signal INT 130' INT
trap '__ketrew_on_signal HUP 129' HUP`;
