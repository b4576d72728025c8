import { describe, expect, it } from 'vitest';
import { API_ROUTES } from './api-routes.js';
import { openApiDocument } from './openapi-document.js';

type Json = { [key: string]: unknown };

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item);
      else refsIn(item, found);
    }
  }
  return found;
}

describe('openApiDocument', () => {
  const document = openApiDocument() as Json & {
    paths: Record<string, Record<string, Json>>;
    components: { schemas: Record<string, Json> };
  };

  it('is OpenAPI 3.1 and describes every route', () => {
    expect(document['openapi']).toBe('3.1.0');
    for (const route of API_ROUTES) {
      expect(
        document.paths[route.path]?.[route.method],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });

  it('resolves every reference to a component', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z0-9_]+$/);
      const name = ref.slice('#/components/schemas/'.length);
      expect(document.components.schemas[name], ref).toBeDefined();
    }
  });

  it('documents the wire format as input (defaults optional) and the request and query shapes', () => {
    const workflow = document.components.schemas['WorkflowSpec'] as { required: string[] };
    expect(workflow.required.sort()).toEqual(['nodes', 'root', 'version']);
    const kill = document.components.schemas['KillRequest'] as { required: string[] };
    expect(kill.required).toEqual(['ids']);
    const list = document.paths['/api/v1/nodes']?.['get'] as { parameters: { name: string }[] };
    expect(list.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(['filter', 'status', 'tag', 'limit', 'after', 'createdAfter']),
    );
    const detail = document.paths['/api/v1/nodes/{id}']?.['get'] as {
      parameters: { name: string; in: string }[];
    };
    expect(detail.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path' }));
  });

  it('marks /hello as public and the others as needing a token, with their error statuses', () => {
    expect(document.paths['/hello']?.['get']?.['security']).toEqual([]);
    const submit = document.paths['/api/v1/workflows']?.['post'] as {
      security?: unknown;
      responses: Record<string, unknown>;
    };
    expect(submit.security).toBeUndefined();
    expect(Object.keys(submit.responses).sort()).toEqual([
      '201',
      '400',
      '401',
      '403',
      '413',
      '503',
    ]);
  });
});
