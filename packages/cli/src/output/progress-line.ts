import type { OutputStream } from '../cli-io.js';
import { stripAnsi } from './palette.js';

/**
 * A line that rewrites itself while waiting (`\r` + erase line), on a terminal only: elsewhere
 * (pipes, CI logs, `--json`) it stays silent so the output stays clean.
 */
export class ProgressLine {
  readonly #stream: OutputStream;
  readonly #enabled: boolean;
  #shown = false;

  constructor(stream: OutputStream, enabled: boolean) {
    this.#stream = stream;
    this.#enabled = enabled && stream.isTTY;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Replace the line's text (cut to the terminal width). */
  update(text: string): void {
    if (!this.#enabled) return;
    const width = this.#stream.columns ?? 80;
    const fitted =
      stripAnsi(text).length >= width ? `${stripAnsi(text).slice(0, width - 2)}…` : text;
    this.#stream.write(`\r\u001b[2K${fitted}`);
    this.#shown = true;
  }

  /** Erase the line (before printing something else, or when done). */
  clear(): void {
    if (!this.#enabled || !this.#shown) return;
    this.#stream.write('\r\u001b[2K');
    this.#shown = false;
  }
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The spinner frame for tick `n`. */
export function spinnerFrame(n: number): string {
  return SPINNER[n % SPINNER.length] ?? '-';
}
