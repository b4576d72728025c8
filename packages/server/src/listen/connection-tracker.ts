import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Knows which open connections of a server are busy with a request, so that a graceful stop can
 * close the idle ones at once (including connections a client opened without sending anything
 * yet, which Node's `closeIdleConnections` leaves open) and each busy one as soon as its last
 * response is done.
 */
export class ConnectionTracker {
  readonly #busy = new Map<Socket, number>();
  #draining = false;

  constructor(server: Server, options: { readonly tls: boolean }) {
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      this.#busy.set(socket, 0);
      socket.once('close', () => this.#busy.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const socket = request.socket;
      this.#busy.set(socket, (this.#busy.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const left = (this.#busy.get(socket) ?? 1) - 1;
        this.#busy.set(socket, left);
        if (this.#draining && left === 0) socket.destroy();
      });
    });
  }

  /** From now on, close every connection that is or becomes idle. */
  drain(): void {
    this.#draining = true;
    for (const [socket, requests] of this.#busy) if (requests === 0) socket.destroy();
  }

  /** Close everything still open (the graceful stop's deadline passed). */
  destroyAll(): void {
    for (const socket of this.#busy.keys()) socket.destroy();
  }
}
