import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from '@ketrew/edsl';
import { LocalTransport, shellQuote } from '@ketrew/backend-daemonize';
import type {
  HostCommand,
  RunOptions,
  RunResult,
  Transport,
  TransportProvider,
} from '@ketrew/engine';

// AN EXPERIMENT OF THE BENCHMARK, not a product: a localhost transport that runs commands through
// a few long-lived `sh` processes instead of one Node `spawn` per command. Node's spawn forks the
// whole Node process synchronously (the event loop stops for milliseconds per command); a small
// shell forks in a fraction of that. The local benchmark runs the daemonize backend over it
// (`--launcher persistent-shell`) to measure what such a launcher would buy. Files go through
// LocalTransport. Limits: no per-command timeout, no stdin, no cwd (those calls fall back to
// LocalTransport), commands must not read the shell's stdin.

interface Pending {
  readonly marker: string;
  readonly errFile: string;
  readonly resolve: (result: RunResult) => void;
  readonly reject: (error: Error) => void;
}

class ShellWorker {
  readonly #process: ChildProcessWithoutNullStreams;
  readonly #pending: Pending[] = [];
  readonly #scratch: string;
  #buffer = '';
  #next = 0;
  #id: number;

  constructor(id: number, scratch: string) {
    this.#id = id;
    this.#scratch = scratch;
    this.#process = spawn('sh', [], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#process.stdout.setEncoding('utf8').on('data', (chunk: string) => this.#read(chunk));
    this.#process.stderr.resume();
    this.#process.once('exit', () => {
      for (const pending of this.#pending.splice(0)) pending.reject(new Error('the shell exited'));
    });
  }

  get load(): number {
    return this.#pending.length;
  }

  run(text: string): Promise<RunResult> {
    const marker = `__ketrew_done_${this.#id}_${this.#next++}`;
    const errFile = join(this.#scratch, `${marker}.err`);
    return new Promise((resolve, reject) => {
      this.#pending.push({ marker, errFile, resolve, reject });
      this.#process.stdin.write(
        `( ${text}\n) </dev/null 2>${shellQuote(errFile)}; printf '\\n%s %s\\n' ${marker} $?\n`,
      );
    });
  }

  close(): void {
    this.#process.stdin.end();
    // Jobs it launched live in their own sessions: only the shell itself ends here.
    this.#process.kill('SIGTERM');
  }

  #read(chunk: string): void {
    this.#buffer += chunk;
    for (;;) {
      const first = this.#pending[0];
      if (first === undefined) return;
      const at = this.#buffer.indexOf(`\n${first.marker} `);
      if (at < 0) return;
      const end = this.#buffer.indexOf('\n', at + 1 + first.marker.length);
      if (end < 0) return;
      const code = Number(this.#buffer.slice(at + first.marker.length + 2, end));
      const stdout = this.#buffer.slice(0, at);
      this.#buffer = this.#buffer.slice(end + 1);
      this.#pending.shift();
      let stderr = '';
      try {
        stderr = readFileSync(first.errFile, 'utf8');
        rmSync(first.errFile, { force: true });
      } catch {
        // nothing written
      }
      first.resolve({ exitCode: code, signal: null, timedOut: false, stdout, stderr });
    }
  }
}

/** See the file's comment: an experiment of the benchmark. */
export class PersistentShellTransport implements Transport {
  readonly host: Host;
  readonly #files: LocalTransport;
  readonly #workers: ShellWorker[];
  readonly #scratch: string;

  constructor(host: Host, workers = 2) {
    this.host = host;
    this.#files = new LocalTransport({ host });
    this.#scratch = mkdtempSync(join(tmpdir(), 'ketrew-shell-transport-'));
    this.#workers = Array.from({ length: workers }, (_, i) => new ShellWorker(i, this.#scratch));
  }

  run(command: HostCommand, options: RunOptions = {}): Promise<RunResult> {
    if (options.stdin !== undefined || options.cwd !== undefined) {
      return this.#files.run(command, options);
    }
    const text =
      'argv' in command
        ? `exec ${command.argv.map((arg) => shellQuote(arg)).join(' ')}`
        : `eval ${shellQuote(command.shell)}`;
    const worker = this.#workers.reduce((a, b) => (b.load < a.load ? b : a));
    return worker.run(text);
  }

  readFile(
    path: string,
    options?: { readonly offset?: number | undefined; readonly length?: number | undefined },
  ): Promise<string | null> {
    return this.#files.readFile(path, options);
  }

  writeFile(
    path: string,
    content: string,
    options?: { readonly mode?: number | undefined },
  ): Promise<void> {
    return this.#files.writeFile(path, content, options);
  }

  mkdir(path: string): Promise<void> {
    return this.#files.mkdir(path);
  }

  stat(path: string): ReturnType<Transport['stat']> {
    return this.#files.stat(path);
  }

  async close(): Promise<void> {
    for (const worker of this.#workers) worker.close();
    await this.#files.close();
    rmSync(this.#scratch, { recursive: true, force: true });
  }
}

/** One PersistentShellTransport per host name, kept for the provider's life. */
export function persistentShellProvider(): TransportProvider & { close(): Promise<void> } {
  const transports = new Map<string, PersistentShellTransport>();
  const provider = (host: Host): Transport => {
    let transport = transports.get(host.name);
    if (transport === undefined) {
      transport = new PersistentShellTransport(host);
      transports.set(host.name, transport);
    }
    return transport;
  };
  return Object.assign(provider, {
    async close() {
      for (const transport of transports.values()) await transport.close();
      transports.clear();
    },
  });
}
