import type { OutputStream } from '../cli-io.js';

/**
 * A block of lines redrawn in place on a terminal (cursor up, erase down), for `status --loop`.
 * Off a terminal each draw is printed after the previous one.
 */
export class LiveBlock {
  readonly #stream: OutputStream;
  #lines = 0;

  constructor(stream: OutputStream) {
    this.#stream = stream;
  }

  draw(text: string): void {
    const body = text.endsWith('\n') ? text : `${text}\n`;
    if (this.#stream.isTTY && this.#lines > 0)
      this.#stream.write(`\u001b[${this.#lines}A\u001b[0J`);
    this.#stream.write(body);
    this.#lines = body.split('\n').length - 1;
  }
}
