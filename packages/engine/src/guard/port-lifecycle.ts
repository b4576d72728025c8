import { ClosedError, ENGINE_ERROR_CODES, KetrewError } from '../errors.js';

type Phase = 'new' | 'initialising' | 'ready' | 'closing' | 'closed';

/**
 * The life of a port instance: initialised once, closed once, never used after close. The
 * guards wrap every plugin call in `use`, so plugin authors need not track any of this.
 */
export class PortLifecycle {
  readonly #what: string;
  #phase: Phase;
  #init: Promise<void> | null = null;
  #close: Promise<void> | null = null;
  #inFlight = 0;
  #drained: (() => void) | null = null;
  readonly #settled = (): void => {
    this.#inFlight--;
    if (this.#inFlight === 0) this.#drained?.();
  };

  /** `needsInit`: calls before `init` succeeded throw (stores must be migrated first). */
  constructor(what: string, options: { readonly needsInit: boolean }) {
    this.#what = what;
    this.#phase = options.needsInit ? 'new' : 'ready';
  }

  get isClosed(): boolean {
    return this.#phase === 'closing' || this.#phase === 'closed';
  }

  /** Run `fn` once; concurrent and later calls share its outcome. A failed init may be retried. */
  init(fn: () => Promise<void>): Promise<void> {
    if (this.isClosed) return Promise.reject(new ClosedError(this.#what));
    if (this.#init === null) {
      this.#phase = this.#phase === 'ready' ? 'ready' : 'initialising';
      this.#init = fn().then(
        () => {
          if (!this.isClosed) this.#phase = 'ready';
        },
        (error: unknown) => {
          this.#init = null;
          if (!this.isClosed) this.#phase = 'new';
          throw error;
        },
      );
    }
    return this.#init;
  }

  /**
   * Run one call of the port; throws `ClosedError` after close, and before init if required.
   * `mapError`, if given, turns the call's failure (a rejection or a synchronous throw) into the
   * error the caller sees; it is chained with the in-flight count, one promise per call.
   */
  use<T>(fn: () => Promise<T>, mapError?: ((error: unknown) => never) | undefined): Promise<T> {
    try {
      this.#assertReady();
    } catch (error) {
      return Promise.reject(error);
    }
    let call: Promise<T>;
    try {
      call = fn();
    } catch (error) {
      return mapError === undefined ? Promise.reject(error) : Promise.reject(error).catch(mapError);
    }
    this.#inFlight++;
    if (mapError === undefined) {
      call.then(this.#settled, this.#settled);
      return call;
    }
    return call.then(
      (value) => {
        this.#settled();
        return value;
      },
      (error: unknown) => {
        this.#settled();
        return mapError(error);
      },
    );
  }

  /** Throws unless calls are allowed now (for synchronous members and iterators). */
  assertReady(): void {
    this.#assertReady();
  }

  /** Close once: waits for calls in flight, then runs `fn`. Later calls share the outcome. */
  close(fn: () => Promise<void>): Promise<void> {
    if (this.#close === null) {
      this.#phase = 'closing';
      const drained =
        this.#inFlight === 0
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              this.#drained = resolve;
            });
      this.#close = drained.then(fn).finally(() => {
        this.#phase = 'closed';
      });
    }
    return this.#close;
  }

  #assertOpen(): void {
    if (this.isClosed) throw new ClosedError(this.#what);
  }

  #assertReady(): void {
    this.#assertOpen();
    if (this.#phase !== 'ready') {
      throw new KetrewError(
        ENGINE_ERROR_CODES.invalidState,
        `${this.#what} is not initialised: call migrate() first`,
      );
    }
  }
}
