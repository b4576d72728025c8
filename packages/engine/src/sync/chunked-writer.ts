import type { FileHandle } from 'node:fs/promises';

/** Buffers text and writes it in large chunks: one system call per ~1 MB, not per line. */
export class ChunkedWriter {
  readonly #handle: FileHandle;
  #parts: string[] = [];
  #size = 0;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  async write(text: string): Promise<void> {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const chunk = this.#parts.join('');
    this.#parts = [];
    this.#size = 0;
    await this.#handle.write(chunk);
  }
}
