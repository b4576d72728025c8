import { describe, expect, it } from 'vitest';
import { createEngineNode } from './create-engine-node.js';
import { historyEntryOf } from './history-entry.js';
import { T0, spec } from './test-support/node-fixtures.js';

describe('createEngineNode', () => {
  it('is passive, first attempt, not merged unless told', () => {
    const nodeSpec = spec({ id: 'n', active: true });
    expect(createEngineNode(nodeSpec, 'wf-1', T0)).toEqual({
      id: 'n',
      workflowId: 'wf-1',
      spec: nodeSpec,
      state: { kind: 'passive' },
      attempt: 1,
      successiveErrors: 0,
      equivalentTo: null,
      createdAt: T0,
      updatedAt: T0,
    });
    expect(createEngineNode(nodeSpec, 'wf-1', T0, { equivalentTo: 'old' }).equivalentTo).toBe(
      'old',
    );
  });

  it('its first history entry records the passive state', () => {
    const node = createEngineNode(spec({ id: 'n' }), 'wf-1', T0);
    expect(historyEntryOf(node, T0, 'submitted')).toEqual({
      nodeId: 'n',
      attempt: 1,
      time: T0,
      state: { kind: 'passive' },
      message: 'submitted',
    });
  });
});
