import type { Store } from '@ketrew/engine';
import { afterEach, beforeEach, describe } from 'vitest';
import { describeExportContract } from './store-contract-export.js';
import { describeFeedContract } from './store-contract-feed.js';
import { describeQueryContract } from './store-contract-queries.js';
import { describeWriteContract } from './store-contract-writes.js';

/**
 * The sections of the store contract suite. An implementation may skip one, with a reason,
 * when it cannot honour it (e.g. `concurrency` for a store that serialises nothing).
 */
export const STORE_CONTRACT_SECTIONS = [
  'migrate',
  'insert',
  'transitions',
  'unfinished',
  'query',
  'pagination',
  'counts',
  'equivalence',
  'reverse-edges',
  'changes',
  'commands',
  'concurrency',
  'export-import',
  'copies',
  'close',
] as const;

export type StoreContractSection = (typeof STORE_CONTRACT_SECTIONS)[number];

export interface StoreContractOptions {
  /** Names the implementation in the suite's title, e.g. `'SqliteStore'`. */
  readonly name: string;
  /**
   * A new, empty store, not yet migrated (the suite calls `migrate`). Called once per test, and
   * once more by tests that need a second store (import, copy).
   */
  readonly create: () => Promise<Store>;
  /** Called after each store is closed, e.g. to delete its file or drop its schema. */
  readonly cleanup?: ((store: Store) => Promise<void> | void) | undefined;
  /**
   * Sections to skip: a list of section names, or section → reason (shown in the test title).
   */
  readonly skip?:
    | readonly StoreContractSection[]
    | Readonly<Partial<Record<StoreContractSection, string>>>
    | undefined;
}

/** What each section of the suite uses. */
export interface StoreContractContext {
  /** The current test's store, migrated and empty at the start of the test. */
  readonly store: () => Store;
  /** Another migrated, empty store (closed and cleaned up after the test). */
  readonly freshStore: () => Promise<Store>;
  /** `describe` that honours the skip list. */
  readonly section: (key: StoreContractSection, title: string, body: () => void) => void;
}

/**
 * The contract suite every `Store` runs (docs/store-contract.md): one call from a ten-line test
 * file, then the implementation's own tests.
 *
 * @example
 * describeStoreContract({
 *   name: 'SqliteStore',
 *   create: async () => new SqliteStore({ path: join(await mkdtemp(tmpdir()), 'db.sqlite') }),
 *   skip: { concurrency: 'one connection serialises everything' },
 * });
 */
export function describeStoreContract(options: StoreContractOptions): void {
  const reasons = skipReasons(options.skip);
  const created: Store[] = [];
  let current: Store | undefined;

  const open = async (): Promise<Store> => {
    const store = await options.create();
    created.push(store);
    await store.migrate();
    return store;
  };

  const context: StoreContractContext = {
    store: () => {
      if (current === undefined) throw new Error('the store is used outside a test');
      return current;
    },
    freshStore: open,
    section: (key, title, body) => {
      const reason = reasons.get(key);
      if (reason === undefined) describe(title, body);
      else describe.skip(`${title} (skipped: ${reason})`, body);
    },
  };

  describe(`Store contract: ${options.name}`, () => {
    beforeEach(async () => {
      current = await open();
    });

    afterEach(async () => {
      current = undefined;
      const stores = created.splice(0);
      for (const store of stores) {
        await store.close();
        await options.cleanup?.(store);
      }
    });

    describeWriteContract(context);
    describeQueryContract(context);
    describeFeedContract(context);
    describeExportContract(context);
  });
}

function skipReasons(skip: StoreContractOptions['skip']): Map<StoreContractSection, string> {
  const reasons = new Map<StoreContractSection, string>();
  if (skip === undefined) return reasons;
  const entries: [string, string][] = isSectionList(skip)
    ? skip.map((key) => [key, 'not supported'])
    : Object.entries(skip).filter((entry): entry is [string, string] => entry[1] !== undefined);
  for (const [key, reason] of entries) {
    if (!isSection(key)) {
      throw new Error(
        `describeStoreContract: unknown section "${key}" in skip (known: ${STORE_CONTRACT_SECTIONS.join(', ')})`,
      );
    }
    reasons.set(key, reason);
  }
  return reasons;
}

function isSection(key: string): key is StoreContractSection {
  return (STORE_CONTRACT_SECTIONS as readonly string[]).includes(key);
}

function isSectionList(
  skip: NonNullable<StoreContractOptions['skip']>,
): skip is readonly StoreContractSection[] {
  return Array.isArray(skip);
}
