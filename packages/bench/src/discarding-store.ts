import type { Store } from '@ketrew/engine';

/**
 * A `Store` that keeps nothing: writes succeed at once, reads find nothing. Only for measuring
 * the runtime's own cost beside MemoryStore's; never use it to run workflows.
 */
export function discardingStore(): Store {
  const empty = async (): Promise<never[]> => [];
  const nothing = async (): Promise<void> => undefined;
  return {
    migrate: nothing,
    insertWorkflow: nothing,
    applyTransitions: nothing,
    loadUnfinished: empty,
    getNodes: empty,
    getHistory: empty,
    getReverseEdges: async () => ({
      dependedOnBy: [],
      activatedOnSuccessOf: [],
      activatedOnFailureOf: [],
    }),
    queryNodes: async () => ({ nodes: [], next: null, total: 0 }),
    countByStatus: async () => ({ activable: 0, 'in-progress': 0, successful: 0, failed: 0 }),
    findEquivalent: empty,
    getWorkflow: async () => null,
    changesSince: empty,
    enqueueCommand: async () => 0,
    takeCommands: empty,
    exportAll: async function* () {},
    importAll: async () => ({ imported: 0, skipped: 0 }),
    close: nothing,
  };
}
