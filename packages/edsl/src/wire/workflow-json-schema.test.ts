import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderWorkflowSpecJsonSchema, workflowSpecJsonSchema } from './workflow-json-schema.js';

const committedPath = new URL('../../workflow-spec.schema.json', import.meta.url);
const host = { name: '/tmp/KT', connection: { kind: 'localhost' }, playground: '/tmp/KT' };
const program = { kind: 'sh', command: 'echo hi' };

describe('workflow-spec.schema.json', () => {
  it('is what the zod schemas generate (run `pnpm --filter @ketrew/edsl run generate-schema`)', () => {
    expect(readFileSync(committedPath, 'utf8')).toBe(renderWorkflowSpecJsonSchema());
  });

  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(
    workflowSpecJsonSchema(),
  );
  const spec = (node: Record<string, unknown>): unknown => ({
    version: 1,
    root: 'a',
    nodes: [{ id: 'a', name: 'a', ...node }],
  });

  it.each<[string, unknown]>([
    ['a minimal workflow', spec({})],
    ['a daemonized node', spec({ make: { backend: 'daemonize', host, program } })],
    ['a plugin build process', spec({ make: { backend: 'acme/batch', image: 'x', n: [1] } })],
    [
      'a condition and a product',
      spec({
        product: { kind: 'single-file', host, path: '/tmp/x' },
        condition: { kind: 'and', conditions: [{ kind: 'never' }] },
      }),
    ],
  ])('accepts %s', (_what, document) => {
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an unknown field', spec({ colour: 'red' })],
    ['a relative product path', spec({ product: { kind: 'single-file', host, path: 'x' } })],
    ['a bad first-party field', spec({ make: { backend: 'pbs', host, program, wallLimit: '2h' } })],
    ['a first-party name with plugin fields', spec({ make: { backend: 'daemonize', image: 'x' } })],
    [
      'a bad volume name',
      spec({
        condition: {
          kind: 'volume-exists',
          volume: { host, root: '/', structure: { kind: 'file', name: '..' } },
        },
      }),
    ],
    ['another version', { version: 2, root: 'a', nodes: [{ id: 'a', name: 'a' }] }],
  ])('rejects %s', (_what, document) => {
    expect(validate(document)).toBe(false);
  });
});
