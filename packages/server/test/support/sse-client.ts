/** One Server-Sent Event (or a comment, `event: 'comment'`). */
export interface SseEvent {
  readonly event: string;
  readonly id: string | null;
  readonly data: string;
}

/**
 * A minimal SSE reader over fetch, written for the tests: parses the stream into events and
 * comments, in order.
 */
export async function openEvents(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ next(timeoutMs?: number): Promise<SseEvent>; close(): void; response: Response }> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  if (response.body === null) throw new Error('no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const queue: SseEvent[] = [];
  let buffer = '';
  const readMore = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) throw new Error('the event stream ended');
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) {
          queue.push({ event: 'comment', id: null, data: line.slice(1).trim() });
        } else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) queue.push({ event, id, data: data.join('\n') });
    }
  };
  return {
    response,
    async next(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (Date.now() > deadline) throw new Error('no event in time');
        await readMore();
      }
      return queue.shift() as SseEvent;
    },
    close: () => abort.abort(),
  };
}
