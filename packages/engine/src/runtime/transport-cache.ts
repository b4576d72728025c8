import type { Host } from '@ketrew/edsl';
import { ENGINE_ERROR_CODES, KetrewError } from '../errors.js';
import { guardTransport } from '../guard/guard-transport.js';
import type { Transport, TransportProvider } from '../ports/transport.js';

/** One guarded transport per host (by its whole description), from the provider. */
export class TransportCache {
  readonly #provider: TransportProvider | undefined;
  readonly #cache = new Map<string, Transport>();

  constructor(provider: TransportProvider | undefined) {
    this.#provider = provider;
  }

  /** The transport of `host`; throws when no provider was configured. */
  for(host: Host): Transport {
    if (this.#provider === undefined) {
      throw new KetrewError(
        ENGINE_ERROR_CODES.invalidState,
        `no transport provider configured: cannot reach host ${host.name}`,
      );
    }
    const key = JSON.stringify(host);
    let transport = this.#cache.get(key);
    if (transport === undefined) {
      transport = guardTransport(this.#provider(host));
      this.#cache.set(key, transport);
    }
    return transport;
  }
}
