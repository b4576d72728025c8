import { MemoryStore } from '@ketrew/engine';
import { describeStoreContract } from './store-contract.js';

describeStoreContract({
  name: 'MemoryStore',
  create: async () => new MemoryStore(),
});
