import { describe, expect, it, vi } from 'vitest';
import * as edsl from '@ketrew/edsl';
import { isFrozenJson } from '../core/deep-freeze.js';
import { KetrewError } from '../errors.js';
import type { Backend } from '../ports/backend.js';
import { FakeBackend } from '../testing/fake-backend.js';
import { isValidatedSpec, validateSubmission } from './validate-submission.js';
import { fakeNode, workflowOf } from './test-workflows.js';

vi.mock('@ketrew/edsl', async (original) => {
  const actual = await original<typeof edsl>();
  return { ...actual, validateWorkflowSpec: vi.fn(actual.validateWorkflowSpec) };
});

const backends = new Map<string, Backend>([['fake', new FakeBackend()]]);
const document = () =>
  workflowOf('a', [fakeNode('a', { dependsOn: ['b'], metadata: { x: [1] } }), fakeNode('b')]);

describe('validateSubmission', () => {
  it('returns a deep-frozen spec and leaves the document alone', () => {
    const input = document();
    const spec = validateSubmission(input, backends);
    expect(isFrozenJson(spec)).toBe(true);
    expect(isValidatedSpec(spec)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
    expect(Object.isFrozen(input.nodes[0]?.metadata)).toBe(false);
    expect(isValidatedSpec(input)).toBe(false);
    expect(isValidatedSpec(structuredClone(spec))).toBe(false);
  });

  it('does not check the wire format of a spec it returned again, only its backends', () => {
    const validate = vi.mocked(edsl.validateWorkflowSpec);
    validate.mockClear();
    const spec = validateSubmission(document(), backends);
    expect(validateSubmission(spec, backends)).toBe(spec);
    expect(validate).toHaveBeenCalledTimes(1);
    // The same spec against other backends is refused for its backends.
    expect(() => validateSubmission(spec, new Map())).toThrow(KetrewError);
    try {
      validateSubmission(spec, new Map());
    } catch (error) {
      expect((error as KetrewError).code).toBe('unknown-backend');
    }
    // A copy of it is validated in full.
    validateSubmission(structuredClone(spec), backends);
    expect(validate).toHaveBeenCalledTimes(2);
  });

  it('names a problem of the whole document by "/"', () => {
    expect(() => validateSubmission(42, backends)).toThrow(/invalid workflow: \/: /);
  });
});
