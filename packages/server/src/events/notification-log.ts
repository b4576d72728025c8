/** A message for the people watching the server (the original's notifications panel). */
export interface Notification {
  readonly id: number;
  /** Epoch ms. */
  readonly time: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  readonly nodeId: string | null;
}

/**
 * The latest notifications, in memory (the most recent `capacity`, default 1,000), numbered
 * from 1 so clients can ask for those after the last one they saw.
 */
export class NotificationLog {
  readonly #capacity: number;
  readonly #entries: Notification[] = [];
  #lastId = 0;

  constructor(options: { readonly capacity?: number | undefined } = {}) {
    this.#capacity = options.capacity ?? 1_000;
  }

  add(notification: Omit<Notification, 'id'>): Notification {
    this.#lastId += 1;
    const entry = { id: this.#lastId, ...notification };
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
    return entry;
  }

  /** Notifications with an id greater than `since`, oldest first, and the id to ask from next. */
  since(since: number): { readonly notifications: readonly Notification[]; readonly next: number } {
    return {
      notifications: this.#entries.filter((entry) => entry.id > since),
      next: this.#lastId,
    };
  }
}
