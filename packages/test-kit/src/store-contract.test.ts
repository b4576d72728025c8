import { MemoryStore } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { describeStoreContract, type StoreContractSection } from './store-contract.js';

describe('describeStoreContract', () => {
  it('refuses to skip a section it does not know, so a typo cannot hide tests', () => {
    const create = async () => new MemoryStore();
    expect(() =>
      describeStoreContract({ name: 'x', create, skip: ['concurency' as StoreContractSection] }),
    ).toThrow(/unknown section "concurency"/);
    expect(() =>
      describeStoreContract({ name: 'x', create, skip: { pagnation: 'typo' } as never }),
    ).toThrow(/unknown section "pagnation"/);
  });
});
