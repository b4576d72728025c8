import { BackendError, KetrewError, StoreError, UnsupportedOperationError } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { ServerError, STATUS_OF_CODE, toErrorResponse } from './errors.js';

const plain = { returnErrorStacks: false };

describe('toErrorResponse', () => {
  it('answers a ServerError with its code, status, message and details', () => {
    const error = new ServerError('forbidden', 'no', { details: { required: 'submit' } });
    expect(toErrorResponse(error, plain)).toEqual({
      status: 403,
      body: { error: { code: 'forbidden', message: 'no', details: { required: 'submit' } } },
    });
  });

  it('hides whatever else was thrown behind a generic 500, without a stack', () => {
    const response = toErrorResponse(new TypeError('secret internals at /home/x'), plain);
    expect(response).toEqual({
      status: 500,
      body: { error: { code: 'internal-error', message: 'internal server error', details: {} } },
    });
    expect(JSON.stringify(toErrorResponse('a string', plain))).not.toContain('a string');
  });

  it('includes the stack only when configured', () => {
    const error = new Error('boom');
    const withStack = toErrorResponse(error, { returnErrorStacks: true });
    expect(withStack.body.error.stack).toContain('boom');
    expect(toErrorResponse(error, plain).body.error).not.toHaveProperty('stack');
  });

  it.each<[KetrewError, number, string]>([
    [new KetrewError('not-found', 'x'), 404, 'not-found'],
    [new KetrewError('invalid-state', 'x'), 409, 'invalid-state'],
    [new UnsupportedOperationError('fake', 'query "x"'), 404, 'unsupported-operation'],
    [new BackendError('ssh down', { recoverable: true }), 502, 'backend-error'],
    [new StoreError('busy', { retryable: true }), 503, 'store-error'],
    [new StoreError('corrupt', { retryable: false }), 500, 'internal-error'],
    [new KetrewError('closed', 'x'), 503, 'shutting-down'],
  ])('maps the engine error %s to %i %s', (error, status, code) => {
    const response = toErrorResponse(error, plain);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toBe(error.message);
  });

  it("renames the engine's `problems` of a refused workflow to `errors`", () => {
    const problems = [{ pointer: '/nodes/0/make/backend', message: 'unknown backend' }];
    const response = toErrorResponse(
      new KetrewError('unknown-backend', 'bad', { details: { problems } }),
      plain,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual({ errors: problems });
  });

  it('gives every code an HTTP error status', () => {
    for (const status of Object.values(STATUS_OF_CODE)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});
