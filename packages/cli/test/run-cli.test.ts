import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { runInProcess } from './cli-harness.js';
import { apiNode } from './fixtures.js';

const server = ['--url', 'http://k.test:8756', '--token', 'tok-1234567890abcdef'];

describe('argument parsing', () => {
  it('passes ids and --recursive to kill', async () => {
    const calls: unknown[] = [];
    const result = await runInProcess(['kill', 'n1', 'n2', '--recursive', ...server], {
      client: {
        node: async (id) => ({ node: apiNode(id), history: [], edges: emptyEdges }),
        kill: async (ids, options) => {
          calls.push({ ids, options });
          return { ids, via: 'engine', commandId: null };
        },
      },
    });
    expect(result.code).toBe(0);
    expect(calls).toEqual([{ ids: ['n1', 'n2'], options: { recursive: true } }]);
    expect(result.stdout).toBe('Kill requested for 2 nodes: n1, n2.\n');
  });

  it('passes --subtree to restart, and resolves an id prefix', async () => {
    const calls: unknown[] = [];
    const result = await runInProcess(['restart', 'abc', '--subtree', ...server], {
      client: {
        node: async () => {
          throw new CliError('notFound', 'no such node');
        },
        listNodes: async (query) => {
          expect(query.id).toBe('abc');
          return { nodes: [apiNode('abcdef')], next: null, total: 1 };
        },
        restart: async (ids, options) => {
          calls.push({ ids, options });
          return { ids, via: 'queue', commandId: 7 };
        },
      },
    });
    expect(result.code).toBe(0);
    expect(calls).toEqual([{ ids: ['abcdef'], options: { subtree: true } }]);
    expect(result.stdout).toContain('(queued for the engine)');
  });

  it('refuses an ambiguous prefix with exit code 2', async () => {
    const result = await runInProcess(['show', 'a', ...server], {
      client: {
        node: async () => {
          throw new CliError('notFound', 'no such node');
        },
        listNodes: async () => ({ nodes: [apiNode('a1'), apiNode('a2')], next: null, total: 2 }),
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"a" is ambiguous: 2 nodes start with it (a1, a2)');
  });

  it('maps list options to the query', async () => {
    let seen: unknown;
    const result = await runInProcess(
      [
        'list',
        '--filter',
        '(is-failed)',
        '--status',
        'failed',
        '--tag',
        'x',
        '--limit',
        '5',
        ...server,
      ],
      {
        client: {
          listNodes: async (query) => {
            seen = query;
            return { nodes: [apiNode('n1', { tags: ['x'] })], next: 'c', total: 9 };
          },
        },
      },
    );
    expect(result.code).toBe(0);
    expect(seen).toEqual({
      filter: '(is-failed)',
      status: ['failed'],
      state: undefined,
      tags: ['x'],
      name: undefined,
      workflow: undefined,
      limit: 5,
    });
    expect(result.stdout.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+STATUS\s+STATE\s+BACKEND\s+UPDATED\s+TAGS$/,
    );
    expect(result.stdout).toMatch(/n1\s+node n1\s+in-progress\s+running\s+daemonize\s+1m ago\s+x/);
    expect(result.stderr).toContain('1 of 9 nodes shown');
  });

  it('pages through everything with --all', async () => {
    const pages = [
      { nodes: [apiNode('n1')], next: 'p2', total: 2 },
      { nodes: [apiNode('n2')], next: null, total: 2 },
    ];
    const afters: (string | undefined)[] = [];
    const result = await runInProcess(['list', '--all', '--ids', ...server], {
      client: {
        listNodes: async (query) => {
          afters.push(query.after);
          return pages.shift() ?? { nodes: [], next: null, total: 2 };
        },
      },
    });
    expect(afters).toEqual([undefined, 'p2']);
    expect(result.stdout).toBe('n1\nn2\n');
  });

  it('exits 2 with one line and a hint for usage errors', async () => {
    const missing = await runInProcess(['kill']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      'error: Not enough non-option arguments: got 0, need at least 1\nhint: Run `ketrew kill --help`.\n',
    );
    const unknown = await runInProcess(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown argument: frobnicate');
    const badChoice = await runInProcess(['list', '--status', 'sleeping', ...server]);
    expect(badChoice.code).toBe(2);
    expect(badChoice.stderr).toContain('Invalid values');
  });

  it('prints help on stdout with exit 0', async () => {
    const result = await runInProcess(['submit-nothing', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ketrew <command>');
    const sub = await runInProcess(['logs', '--help']);
    expect(sub.stdout).toContain('--follow');
  });
});

describe('errors and exit codes', () => {
  it.each([
    ['unreachable', 3],
    ['authentication', 4],
    ['notFound', 5],
    ['failure', 1],
  ] as const)('a %s error from the server exits %d with its message', async (kind, code) => {
    const result = await runInProcess(['status', ...server], {
      client: {
        status: async () => {
          throw new CliError(kind, `the server said ${kind}`);
        },
      },
    });
    expect(result.code).toBe(code);
    expect(result.stderr).toBe(`error: the server said ${kind}\n`);
  });

  it('shows the stack only with --debug', async () => {
    const client = {
      status: async () => {
        throw new Error('kaboom');
      },
    };
    const plain = await runInProcess(['status', ...server], { client });
    expect(plain.stderr).toBe('error: kaboom\n');
    expect(plain.code).toBe(1);
    const debug = await runInProcess(['status', '--debug', ...server], { client });
    expect(debug.stderr).toMatch(/^error: kaboom\nError: kaboom\n\s+at /);
  });
});

describe('connection options', () => {
  it('uses --url and --token without any configuration file', async () => {
    const result = await runInProcess(['status', '--json', ...server], {
      client: { status: async () => statusResponse },
    });
    expect(result.code).toBe(0);
    expect(result.connection).toMatchObject({
      url: 'http://k.test:8756',
      token: 'tok-1234567890abcdef',
    });
    expect(JSON.parse(result.stdout)).toEqual(statusResponse);
  });

  it('takes $KETREW_URL and $KETREW_TOKEN', async () => {
    const result = await runInProcess(['status'], {
      env: { KETREW_URL: 'http://e.test:1', KETREW_TOKEN: 'env-token' },
      client: { status: async () => statusResponse },
    });
    expect(result.connection).toMatchObject({ url: 'http://e.test:1', token: 'env-token' });
    expect(result.stdout.split('\n')[0]).toBe('The server appears to be doing well.');
    expect(result.stdout).toContain(
      'nodes    1 successful, 0 failed, 2 in progress, 0 activable (3 in all)',
    );
  });
});

const emptyEdges = {
  dependsOn: [],
  onSuccessActivate: [],
  onFailureActivate: [],
  dependedOnBy: [],
  activatedOnSuccessOf: [],
  activatedOnFailureOf: [],
};

const statusResponse = {
  version: '0.1.0',
  startedAt: 0,
  uptimeSeconds: 125,
  readOnly: false,
  mode: 'engine' as const,
  counts: { activable: 0, 'in-progress': 2, successful: 1, failed: 0 },
  total: 3,
  engine: null,
  you: { name: 'default', scopes: ['admin' as const] },
};

describe('gui', () => {
  it('prints the dashboard URL with the token', async () => {
    const result = await runInProcess([
      'gui',
      '--print',
      '--url',
      'http://k.test:8756/',
      '--token',
      'a b',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('http://k.test:8756/gui?token=a%20b\n');
  });
});

describe('logs --follow', () => {
  it('waits for the job to start, prints new output, and stops once the node finished', async () => {
    const chunks = [undefined, 'one\n', 'two\n', ''];
    let offsets: number[] = [];
    let calls = 0;
    const finished = { kind: 'finished', outcome: 'successful', from: 'verified-success' } as const;
    const result = await runInProcess(['logs', 'n1', '--follow', '--interval', '0.1', ...server], {
      client: {
        node: async (id) => ({
          node: apiNode(id, calls >= 4 ? { state: finished, simpleStatus: 'successful' } : {}),
          history: [],
          edges: emptyEdges,
        }),
        logs: async (id, options) => {
          calls += 1;
          if (calls === 1) throw new CliError('notFound', 'no job yet', { serverCode: 'no-run' });
          offsets = [...offsets, options.offset ?? 0];
          const content = chunks[calls - 1] ?? '';
          return {
            nodeId: id,
            attempt: 1,
            backend: 'daemonize',
            stream: options.stream,
            offset: options.offset ?? 0,
            nextOffset: (options.offset ?? 0) + content.length,
            content,
          };
        },
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('one\ntwo\n');
    expect(offsets).toEqual([0, 4, 8]);
  });

  it('fails at once without --follow when the node has no job', async () => {
    const result = await runInProcess(['logs', 'n1', ...server], {
      client: {
        node: async (id) => ({ node: apiNode(id), history: [], edges: emptyEdges }),
        logs: async () => {
          throw new CliError('notFound', 'node n1 has no job', { serverCode: 'no-run' });
        },
      },
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toBe('error: node n1 has no job\n');
  });
});
