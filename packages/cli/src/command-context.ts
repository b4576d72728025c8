import { readFileSync } from 'node:fs';
import type { ApiClient } from './client/api-types.js';
import { HttpApiClient } from './client/http-api-client.js';
import type { ConnectionOptions } from './client/http-connection.js';
import type { CliIo } from './cli-io.js';
import { loadProfile, type LoadedProfile } from './configuration/configuration-loader.js';
import { CliError } from './errors.js';
import { colourEnabled, createPalette, type Palette } from './output/palette.js';
import { ProgressLine } from './output/progress-line.js';

/** The options every command accepts. */
export interface GlobalArgs {
  readonly configurationFile?: string | undefined;
  readonly profile?: string | undefined;
  readonly url?: string | undefined;
  readonly token?: string | undefined;
  readonly json: boolean;
  readonly debug: boolean;
}

/** Services a test may replace. */
export interface CliServices {
  /** Build the API client for a connection (default: `HttpApiClient`). */
  readonly createClient?: ((options: ConnectionOptions) => ApiClient) | undefined;
  /** Epoch milliseconds (default `Date.now`). */
  readonly now?: (() => number) | undefined;
}

/** What a command runs with: I/O, colours, the configuration and the server. */
export class CommandContext {
  readonly io: CliIo;
  readonly args: GlobalArgs;
  readonly json: boolean;
  /** Colours for stdout (off with `--json`, off the terminal, with NO_COLOR). */
  readonly colours: Palette;
  /** Colours for stderr. */
  readonly errorColours: Palette;
  /** The live line on stderr while waiting. */
  readonly progress: ProgressLine;
  readonly #services: CliServices;
  #profile: LoadedProfile | undefined;
  #client: ApiClient | undefined;

  constructor(io: CliIo, args: GlobalArgs, services: CliServices = {}) {
    this.io = io;
    this.args = args;
    this.json = args.json;
    this.colours = createPalette(
      !args.json && colourEnabled({ isTTY: io.stdout.isTTY, env: io.env }),
    );
    this.errorColours = createPalette(colourEnabled({ isTTY: io.stderr.isTTY, env: io.env }));
    this.progress = new ProgressLine(io.stderr, !args.json);
    this.#services = services;
  }

  /** Release what the command opened (connections). */
  dispose(): void {
    this.#client?.close?.();
  }

  /** Write a line (or lines) to stdout. */
  print(text: string): void {
    this.progress.clear();
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Write a value as indented JSON to stdout (the `--json` output). */
  printJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Write a line to stderr (notes that must not pollute piped output). */
  note(text: string): void {
    this.progress.clear();
    this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  now(): number {
    return (this.#services.now ?? Date.now)();
  }

  /** The chosen profile of the configuration, loaded once. */
  profile(): LoadedProfile {
    this.#profile ??= loadProfile({
      option: this.args.configurationFile,
      profile: this.args.profile,
      env: this.io.env,
      cwd: this.io.cwd,
      home: this.io.home,
      readFile: readTextFile,
    });
    return this.#profile;
  }

  /**
   * The API client for the profile's client part; `--url`/`--token` (or `$KETREW_URL`,
   * `$KETREW_TOKEN`) override it.
   */
  client(): ApiClient {
    if (this.#client !== undefined) return this.#client;
    const url = this.args.url ?? nonEmpty(this.io.env['KETREW_URL']);
    const token = this.args.token ?? nonEmpty(this.io.env['KETREW_TOKEN']);
    // With both given, the configuration is not needed at all (and may not exist).
    const client =
      url !== undefined && token !== undefined
        ? { url, token, certificate: null, timeoutSeconds: 30 }
        : this.profile().client;
    const options: ConnectionOptions = {
      url: url ?? client.url,
      token: token ?? client.token,
      certificate: client.certificate,
      timeoutMs: client.timeoutSeconds * 1000,
    };
    if (!/^https?:\/\//.test(options.url)) {
      throw new CliError(
        'usage',
        `invalid server URL "${options.url}" (expected http:// or https://)`,
      );
    }
    this.#client = (this.#services.createClient ?? ((o) => new HttpApiClient(o)))(options);
    return this.#client;
  }
}

function readTextFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError('configuration', `cannot read ${path}: ${(error as Error).message}`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
