import { FakeBackend, isValidatedSpec, type Backend } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { validateWorkflow } from './workflow-validation.js';

const backends = new Map<string, Backend>([['fake', new FakeBackend()]]);
const workflow = (backend: string) => ({
  version: 1,
  root: 'a',
  nodes: [{ id: 'a', name: 'a', make: { backend } }],
});

describe('validateWorkflow', () => {
  it('returns a frozen spec the engine will not validate again', () => {
    const result = validateWorkflow(workflow('fake'), backends);
    if (!result.ok) throw new Error(result.message);
    expect(isValidatedSpec(result.spec)).toBe(true);
    expect(Object.isFrozen(result.spec.nodes[0]?.make)).toBe(true);
    expect(result.spec.nodes[0]?.active).toBe(true);
  });

  it('refuses the wire format and unknown backends, every problem by pointer', () => {
    expect(validateWorkflow({ version: 1, root: 'a', nodes: [{ id: 'a' }] }, backends)).toEqual({
      ok: false,
      code: 'invalid-workflow',
      message: expect.stringContaining('invalid workflow: /nodes/0/name'),
      errors: [expect.objectContaining({ pointer: '/nodes/0/name' })],
    });
    expect(validateWorkflow(workflow('slurn'), backends)).toMatchObject({
      ok: false,
      code: 'unknown-backend',
      errors: [{ pointer: '/nodes/0/make/backend' }],
    });
    expect(validateWorkflow('not a workflow', backends)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^invalid workflow: \/: /),
    });
  });
});
