import { describe, expect, it } from 'vitest';
import { planReads, READ_MIX, type MixTargets } from './read-mix.js';

const targets: MixTargets = {
  workflowId: 'wf 1',
  rootId: 'load-root',
  jobIds: ['load-job-0', 'load-job-1', 'load-job-2'],
  startedJobIds: ['load-job-1'],
  cursors: ['c1', 'c2'],
};
const deck = READ_MIX.reduce((sum, route) => sum + route.weight, 0);

describe('planReads', () => {
  it('holds the exact proportions of the mix in every deck', () => {
    const reads = planReads(READ_MIX, targets, deck * 3, 7);
    for (let d = 0; d < 3; d++) {
      const one = reads.slice(d * deck, (d + 1) * deck);
      for (const route of READ_MIX) {
        expect(one.filter((r) => r.route === route.name)).toHaveLength(route.weight);
      }
    }
  });

  it('gives the same sequence for a seed and another for another seed', () => {
    const a = planReads(READ_MIX, targets, 100, 1);
    expect(planReads(READ_MIX, targets, 100, 1)).toEqual(a);
    expect(planReads(READ_MIX, targets, 100, 2)).not.toEqual(a);
  });

  it('answers exactly `count` reads, each a path of the API', () => {
    const reads = planReads(READ_MIX, targets, deck + 5, 3);
    expect(reads).toHaveLength(deck + 5);
    for (const read of reads) expect(read.path).toMatch(/^\/(hello|api\/v1\/)/);
  });

  it('reads logs only of started jobs and encodes query values', () => {
    const reads = planReads(READ_MIX, targets, deck * 4, 5);
    const logs = reads.filter((r) => r.path.includes('/logs'));
    expect(logs.length).toBeGreaterThan(0);
    for (const read of logs) expect(read.path).toContain('/nodes/load-job-1/logs');
    const counts = reads.find((r) => r.route === 'GET /counts?workflow');
    expect(counts?.path).toBe('/api/v1/counts?workflow=wf+1');
  });
});
