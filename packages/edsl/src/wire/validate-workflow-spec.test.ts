import { describe, expect, it } from 'vitest';
import { validateBuildProcess, validateWorkflowSpec } from './validate-workflow-spec.js';
import type { ValidationIssue } from './validation-issue.js';

const host = { name: '/tmp/KT', connection: { kind: 'localhost' }, playground: '/tmp/KT' };
const program = { kind: 'sh', command: 'echo hi' };

function spec(nodes: readonly Record<string, unknown>[], root = 'a'): Record<string, unknown> {
  return { version: 1, root, nodes };
}

function errorsOf(document: unknown): readonly ValidationIssue[] {
  const result = validateWorkflowSpec(document);
  if (result.ok) throw new Error('expected the document to be rejected');
  return result.errors;
}

describe('validateWorkflowSpec', () => {
  it('fills every default of a minimal workflow', () => {
    const result = validateWorkflowSpec(spec([{ id: 'a', name: 'a' }]));
    expect(result).toEqual({
      ok: true,
      spec: {
        version: 1,
        root: 'a',
        nodes: [
          {
            id: 'a',
            name: 'a',
            active: true, // the root is always active
            tags: [],
            metadata: null,
            product: { kind: 'none' },
            condition: null,
            make: { backend: 'no-operation' },
            dependsOn: [],
            onSuccessActivate: [],
            onFailureActivate: [],
            equivalence: 'same-active-condition',
            retry: null,
            timeout: null,
            resources: { cpus: 1, memory: null },
          },
        ],
      },
    });
  });

  it('fills the defaults of hosts, build processes and retry policies', () => {
    const result = validateWorkflowSpec(
      spec([
        {
          id: 'a',
          name: 'a',
          make: { backend: 'daemonize', host, program },
          retry: { attempts: 3 },
        },
      ]),
    );
    expect(result.ok && result.spec.nodes[0]).toMatchObject({
      make: {
        backend: 'daemonize',
        using: 'nohup-setsid',
        startingTimeout: 5,
        host: { shell: ['sh', '-c'], timeout: null },
      },
      retry: { attempts: 3, backoff: { initial: 10, factor: 2, max: 600 } },
    });
  });

  it('accepts a third-party build process with free JSON parameters', () => {
    const result = validateWorkflowSpec(
      spec([{ id: 'a', name: 'a', make: { backend: 'acme/batch', image: 'x', cpus: [1, 2] } }]),
    );
    expect(result.ok && result.spec.nodes[0]?.make).toEqual({
      backend: 'acme/batch',
      image: 'x',
      cpus: [1, 2],
    });
  });

  it.each<[string, unknown, ValidationIssue[]]>([
    [
      'a document that is not an object',
      'hello',
      [{ pointer: '', message: expect.stringMatching(/expected object/) }],
    ],
    [
      'another version',
      { version: 2, root: 'a', nodes: [{ id: 'a', name: 'a' }] },
      [{ pointer: '/version', message: expect.stringMatching(/expected 1/) }],
    ],
    [
      'no nodes',
      spec([]),
      [
        { pointer: '/nodes', message: expect.stringMatching(/>=1 items/) },
        { pointer: '/root', message: 'root "a" is not the id of any node' },
      ],
    ],
    [
      'a missing field',
      { version: 1, nodes: [{ id: 'a', name: 'a' }] },
      [{ pointer: '/root', message: 'missing (expected string)' }],
    ],
    [
      'an unknown field',
      spec([{ id: 'a', name: 'a', colour: 'red' }]),
      [{ pointer: '/nodes/0/colour', message: 'unknown field "colour"' }],
    ],
    [
      'a bad id',
      spec([{ id: 'a b', name: 'a' }], 'a b'),
      [
        { pointer: '/root', message: 'may contain only letters, digits and . _ : @ + -' },
        { pointer: '/nodes/0/id', message: 'may contain only letters, digits and . _ : @ + -' },
      ],
    ],
    [
      'a relative product path',
      spec([{ id: 'a', name: 'a', product: { kind: 'single-file', host, path: 'out.txt' } }]),
      [{ pointer: '/nodes/0/product/path', message: 'must be an absolute path (start with "/")' }],
    ],
    [
      'an unknown product kind',
      spec([{ id: 'a', name: 'a', product: { kind: 'blob' } }]),
      [
        {
          pointer: '/nodes/0/product/kind',
          message:
            'unknown kind "blob" (expected one of "none", "single-file", "list-of-files", "custom")',
        },
      ],
    ],
    [
      'a bad host in a condition',
      spec([
        {
          id: 'a',
          name: 'a',
          condition: {
            kind: 'command-returns',
            program,
            returns: 0,
            host: { ...host, playground: 'KT', connection: { kind: 'ssh', address: 'h', port: 0 } },
          },
        },
      ]),
      [
        {
          pointer: '/nodes/0/condition/host/connection/port',
          message: expect.stringMatching(/Too small/),
        },
        {
          pointer: '/nodes/0/condition/host/playground',
          message: 'must be an absolute path (start with "/")',
        },
      ],
    ],
    [
      'a bad volume name',
      spec([
        {
          id: 'a',
          name: 'a',
          condition: {
            kind: 'volume-exists',
            volume: { host, root: '/d', structure: { kind: 'file', name: '..' } },
          },
        },
      ]),
      [
        {
          pointer: '/nodes/0/condition/volume/structure/name',
          message: 'must be a single path segment (no "/", not "." or "..")',
        },
      ],
    ],
    [
      'a bad first-party build process field',
      spec([{ id: 'a', name: 'a', make: { backend: 'pbs', host, program, wallLimit: '2h' } }]),
      [{ pointer: '/nodes/0/make/wallLimit', message: 'must be HH:MM:SS' }],
    ],
    [
      'a first-party build process with a wrong type (once a vague "Invalid input")',
      spec([{ id: 'a', name: 'a', make: { backend: 'daemonize', host: 'localhost', program } }]),
      [
        {
          pointer: '/nodes/0/make/host',
          message: 'Invalid input: expected object, received string',
        },
      ],
    ],
    [
      'a first-party build process with an unknown field',
      spec([{ id: 'a', name: 'a', make: { backend: 'lsf', host, program, queues: 'x' } }]),
      [{ pointer: '/nodes/0/make/queues', message: 'unknown field "queues"' }],
    ],
    [
      'a first-party build process missing its program',
      spec([{ id: 'a', name: 'a', make: { backend: 'slurm', host } }]),
      [{ pointer: '/nodes/0/make/program', message: 'missing (expected object)' }],
    ],
    [
      'a build process without a backend',
      spec([{ id: 'a', name: 'a', make: { host } }]),
      [
        {
          pointer: '/nodes/0/make/backend',
          message: 'must be a backend name (a string such as "daemonize" or "lsf")',
        },
      ],
    ],
    [
      'a bad plugin backend name',
      spec([{ id: 'a', name: 'a', make: { backend: 'My Backend' } }]),
      [
        {
          pointer: '/nodes/0/make/backend',
          message: 'must be a lowercase backend name (first-party names use their own schema)',
        },
      ],
    ],
    [
      'a bad retry policy',
      spec([{ id: 'a', name: 'a', retry: { attempts: 0, on: ['bad-luck'] } }]),
      [
        { pointer: '/nodes/0/retry/attempts', message: expect.stringMatching(/Too small/) },
        { pointer: '/nodes/0/retry/on/0', message: expect.stringMatching(/Invalid option/) },
      ],
    ],
    [
      'duplicate ids',
      spec([
        { id: 'a', name: 'a' },
        { id: 'b', name: 'b' },
        { id: 'a', name: 'c' },
      ]),
      [{ pointer: '/nodes/2/id', message: 'duplicate id "a" (also the id of /nodes/0)' }],
    ],
    [
      'a root that is not a node',
      spec([{ id: 'a', name: 'a' }], 'z'),
      [{ pointer: '/root', message: 'root "z" is not the id of any node' }],
    ],
    [
      'dangling edges of every kind',
      spec([
        {
          id: 'a',
          name: 'a',
          dependsOn: ['x'],
          onSuccessActivate: ['y'],
          onFailureActivate: ['a', 'z'],
        },
      ]),
      [
        { pointer: '/nodes/0/dependsOn/0', message: 'unknown node id "x" (no node has this id)' },
        {
          pointer: '/nodes/0/onSuccessActivate/0',
          message: 'unknown node id "y" (no node has this id)',
        },
        {
          pointer: '/nodes/0/onFailureActivate/1',
          message: 'unknown node id "z" (no node has this id)',
        },
      ],
    ],
    [
      'a cycle through dependsOn',
      spec([
        { id: 'a', name: 'a', dependsOn: ['b'] },
        { id: 'b', name: 'b', dependsOn: ['d', 'c'] },
        { id: 'c', name: 'c', dependsOn: ['a'] },
        { id: 'd', name: 'd' },
      ]),
      [
        {
          pointer: '/nodes/2/dependsOn/0',
          message: 'cycle through dependsOn: a → b → c → a (each depends on the next)',
        },
      ],
    ],
    [
      'a node depending on itself',
      spec([{ id: 'a', name: 'a', dependsOn: ['a'] }]),
      [
        {
          pointer: '/nodes/0/dependsOn/0',
          message: 'cycle through dependsOn: a → a (each depends on the next)',
        },
      ],
    ],
  ])('rejects %s', (_what, document, expected) => {
    expect(errorsOf(document)).toEqual(expected);
  });

  it('accepts cycles through success and failure edges (they activate, they do not wait)', () => {
    const result = validateWorkflowSpec(
      spec([
        { id: 'a', name: 'a', onFailureActivate: ['b'] },
        { id: 'b', name: 'b', onSuccessActivate: ['a'] },
      ]),
    );
    expect(result.ok).toBe(true);
  });

  it('finds a cycle deep in a long chain without overflowing the stack', () => {
    const count = 100_000;
    const nodes = Array.from({ length: count }, (_, i) => ({
      id: `n${i}`,
      name: `n${i}`,
      dependsOn: [`n${(i + 1) % count}`],
    }));
    const errors = errorsOf(spec(nodes, 'n0'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.pointer).toBe(`/nodes/${count - 1}/dependsOn/0`);
    expect(errors[0]?.message).toMatch(/^cycle through dependsOn: n0 → n1 → .* → n99999 → n0/);
  });

  it('escapes "/" and "~" in pointers', () => {
    expect(errorsOf(spec([{ id: 'a', name: 'a', 'x/y~z': 1 }]))).toEqual([
      { pointer: '/nodes/0/x~1y~0z', message: 'unknown field "x/y~z"' },
    ]);
  });

  it('reports schema and graph problems together', () => {
    const pointers = errorsOf(
      spec([
        { id: 'a', name: '', dependsOn: ['a'] },
        { id: 'a', name: 'b' },
      ]),
    ).map((e) => e.pointer);
    expect(pointers).toEqual(['/nodes/0/name', '/nodes/1/id', '/nodes/0/dependsOn/0']);
  });
});

describe('validateBuildProcess', () => {
  it('picks the schema by backend name', () => {
    expect(validateBuildProcess({ backend: 'lsf', host, program, memory: -1 })).toEqual({
      ok: false,
      errors: [{ pointer: '/memory', message: expect.stringMatching(/Too small/) }],
    });
    expect(validateBuildProcess({ backend: 'no-operation' })).toEqual({
      ok: true,
      make: { backend: 'no-operation' },
    });
    expect(validateBuildProcess({ backend: 'kubernetes', pod: { image: 'x' } }).ok).toBe(true);
    expect(validateBuildProcess([])).toEqual({
      ok: false,
      errors: [{ pointer: '', message: 'must be an object {backend, ...params}' }],
    });
  });
});

describe('validateWorkflowSpec: the root', () => {
  it('marks the root active in the canonical form, even when the document leaves it out', () => {
    const result = validateWorkflowSpec({
      version: 1,
      root: 'b',
      nodes: [
        { id: 'a', name: 'a' },
        { id: 'b', name: 'b', dependsOn: ['a'] },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.nodes.map((node) => [node.id, node.active])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });
});
