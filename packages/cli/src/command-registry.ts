import type { Argv } from 'yargs';
import type { CommandContext, GlobalArgs } from './command-context.js';

/** What a command does once its arguments are parsed; returns the exit code (default 0). */
export type CommandRun = (ctx: CommandContext) => Promise<number | void>;

/** Called by a command's yargs handler to say "run me" (the runner calls it after parsing). */
export type Select = (run: CommandRun) => void;

/** Adds one command (and its aliases) to the parser. */
export type CommandRegistration = (cli: Argv<GlobalArgs>, select: Select) => Argv<GlobalArgs>;
