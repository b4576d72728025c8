import { describe, expect, it } from 'vitest';
import { WorkflowSpecSchema } from '@ketrew/edsl';
import { loadWorkflow } from './load-workflow.js';

describe('loadWorkflow', () => {
  const options = {
    nodes: 1000,
    concurrency: 100,
    seconds: 30,
    seed: 1,
    prefix: 'p',
    directory: '/tmp/x',
  };

  it('is a valid workflow: a root depending on every job', () => {
    const w = loadWorkflow(options);
    const spec = WorkflowSpecSchema.parse(w.spec);
    expect(spec.nodes).toHaveLength(1001);
    const root = spec.nodes.find((n) => n.id === w.rootId);
    expect(root?.dependsOn).toEqual(w.jobIds);
    expect(new Set(spec.nodes.map((n) => n.id)).size).toBe(1001);
  });

  it('makes the waves last about twice the window', () => {
    // 10 waves of 100 jobs over 2 × 30 s: 6 s on average, from 3 to 9 s.
    const w = loadWorkflow(options);
    expect(w.sleepSeconds).toEqual({ min: 3, max: 9 });
    const spec = WorkflowSpecSchema.parse(w.spec);
    for (const node of spec.nodes) {
      if (node.id === w.rootId) continue;
      const make = node.make as { program: { command: string } };
      const seconds = Number(/^sleep (\S+)$/.exec(make.program.command)?.[1]);
      expect(seconds).toBeGreaterThanOrEqual(3);
      expect(seconds).toBeLessThanOrEqual(9);
    }
  });

  it('draws the same durations for the same seed', () => {
    expect(loadWorkflow(options).spec).toEqual(loadWorkflow(options).spec);
    expect(loadWorkflow({ ...options, seed: 2 }).spec).not.toEqual(loadWorkflow(options).spec);
  });
});
