import { submitWorkflowSpec, SubmitError, WorkflowSpecSchema } from '@ketrew/edsl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeWorkflow, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

async function submitError(promise: Promise<unknown>): Promise<SubmitError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SubmitError) return error;
    throw error;
  }
  throw new Error('expected a SubmitError');
}

describe("the EDSL's submit client against the server", () => {
  it('submits and gets the ids back', async () => {
    const spec = WorkflowSpecSchema.parse(
      fakeWorkflow('top', [{ id: 'top', dependsOn: ['dep'] }, { id: 'dep' }]),
    );
    const result = await submitWorkflowSpec(spec, {
      url: `${server.url}/`,
      token: server.tokens.submitter,
    });
    expect(result).toMatchObject({ rootId: 'top', merged: {} });
    expect([...result.nodeIds].sort()).toEqual(['dep', 'top']);
    expect((await server.api(`/api/v1/nodes?workflow=${result.workflowId}`)).body.total).toBe(2);
  });

  it("reports the server's refusals with their codes and pointers", async () => {
    const spec = WorkflowSpecSchema.parse(
      fakeWorkflow('x', [{ id: 'x', make: { backend: 'slurn' } }]),
    );
    const rejected = await submitError(
      submitWorkflowSpec(spec, { url: server.url, token: server.tokens.admin }),
    );
    expect(rejected.code).toBe('submit-rejected');
    expect(rejected.message).toContain('/nodes/0/make/backend');
    const forbidden = await submitError(
      submitWorkflowSpec(spec, { url: server.url, token: server.tokens.reader }),
    );
    expect(forbidden.code).toBe('submit-forbidden');
    const unauthorized = await submitError(
      submitWorkflowSpec(spec, { url: server.url, token: 'ktr_nope' }),
    );
    expect(unauthorized.code).toBe('submit-unauthorized');
  });
});
