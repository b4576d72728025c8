import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runOpenLoop } from './open-loop.js';

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A server that holds every answer until `hold` requests have arrived, then answers them. */
async function barrierServer(hold: number): Promise<{ url: string; seen: string[] }> {
  const waiting: ServerResponse[] = [];
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.url} ${request.headers.authorization}`);
    waiting.push(response);
    if (waiting.length < hold) return;
    for (const r of waiting.splice(0)) {
      const failing = seen[0]?.startsWith('/fail');
      r.writeHead(failing ? 500 : 200).end(failing ? 'boom' : 'ok');
    }
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('runOpenLoop', () => {
  it('sends on schedule while earlier requests are unanswered, timing from when each was due', async () => {
    const { url, seen } = await barrierServer(5);
    const reads = Array.from({ length: 5 }, (_, i) => ({ route: 'r', path: `/x${i}` }));
    const samples = await runOpenLoop({ baseUrl: url, token: 't', rate: 50, reads });
    expect(seen).toHaveLength(5);
    expect(seen[0]).toBe('/x0 Bearer t');
    expect(samples.map((s) => s.error)).toEqual([null, null, null, null, null]);
    expect(samples.map((s) => s.dueMs)).toEqual([0, 20, 40, 60, 80]);
    // The first answer came only once the fifth request had arrived, after it was due.
    const [first] = samples;
    expect(first?.latencyMs).toBeGreaterThanOrEqual(80);
    expect(first?.bytes).toBe(2);
  });

  it('counts non-2xx answers and unreachable servers as errors', async () => {
    const { url } = await barrierServer(1);
    const failing = await runOpenLoop({
      baseUrl: url,
      token: 't',
      rate: 100,
      reads: [{ route: 'r', path: '/fail' }],
    });
    expect(failing[0]).toMatchObject({ status: 500, error: 'HTTP 500: boom' });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await runOpenLoop({
      baseUrl: `http://127.0.0.1:${port}`,
      token: 't',
      rate: 100,
      reads: [{ route: 'r', path: '/' }],
    });
    expect(unreachable[0]?.status).toBeNull();
    expect(unreachable[0]?.error).toMatch(/ECONNREFUSED/);
  });
});
