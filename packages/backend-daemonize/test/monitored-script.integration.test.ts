import { spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import type { ProgramSpec } from '@ketrew/edsl';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MONITORED_FILES, programLeaves, shellQuote } from '../src/index.js';
import { liveGroupMembers, temporaryDirectory, waitFor } from './helpers.js';
import { killStartedGroups, runMonitored, startMonitored } from './run-monitored.js';

const sh = (command: string): ProgramSpec => ({ kind: 'sh', command });
const exec = (...argv: string[]): ProgramSpec => ({ kind: 'exec', argv });
const and = (...programs: ProgramSpec[]): ProgramSpec => ({ kind: 'and', programs });

let dir: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  dir = await temporaryDirectory();
});
afterEach(async () => {
  await dir.cleanup();
});

let runs = 0;
/** A fresh playground for one run of a script (outputs are appended, so never reuse one). */
async function fresh(): Promise<string> {
  runs += 1;
  const path = join(dir.path, `run-${runs}`);
  await mkdir(path);
  return path;
}

/**
 * What bash prints for `command` run directly, as the oracle for `sh` leaves. Run from a file:
 * Linux limits one argv string to 128 KiB, so `bash -c` cannot take the longest commands.
 */
async function bashDirectly(command: string, cwd: string): Promise<Buffer> {
  const file = join(dir.path, `oracle-${runs}.sh`);
  await writeFile(file, command);
  const result = spawnSync('bash', [file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  expect(result.status).toBe(0);
  return result.stdout;
}

const hundredKb = Array.from({ length: 100 * 1024 }, (_, i) =>
  `a'b"c$d\`e;f\\g é\n\t`.charAt(i % 17),
).join('');

const tricky: Record<string, string> = {
  'single and double quotes': `it's "quoted" '' "" '"'"'`,
  newlines: 'line one\nline two\n\nline four\n',
  'dollar signs': '$HOME ${PATH} $(id) $((1+2)) $$ $? $0 $1',
  backticks: '`id` `echo hi`',
  semicolons: 'a; b;; c & d | e && f || g',
  unicode: 'héllo wörld — 日本語 🎉 \u200b',
  'tabs and backslashes': 'a\tb\\tc\\\\n \\',
  'a 100 KB argument': hundredKb,
};

describe('the monitored script runs commands exactly as written', () => {
  for (const [name, value] of Object.entries(tricky)) {
    it(`exec leaf: ${name}`, async () => {
      const result = await runMonitored(exec('printf', '%s', value), dir.path);
      expect(result.log.summary).toEqual({ kind: 'succeeded' });
      expect(result.out.equals(Buffer.from(value, 'utf8'))).toBe(true);
    });

    it(`sh leaf: ${name}`, async () => {
      const command = `printf '[%s]\\n' ${shellQuote(value)} "$(printf %s ${shellQuote(value)} | wc -c)"`;
      const playground = await fresh();
      const result = await runMonitored(sh(command), playground);
      expect(result.log.summary).toEqual({ kind: 'succeeded' });
      expect(result.out.equals(await bashDirectly(command, playground))).toBe(true);
      const logged = result.log.entries.find((e) => e.kind === 'before-cmd');
      expect(logged).toMatchObject({ label: 'cmd-1', command });
    });
  }

  it('sh leaves: shell syntax of every kind', async () => {
    const commands = [
      `X=5; echo "$X \\$X \${X}0 $((X * 2))" '$X'`,
      'for i in 1 2 3; do\n  echo "line $i"\ndone',
      'echo `echo inner` "$(printf \'%s\' "nested \'q\'")"',
      "cat <<'EOF'\n$not `expanded` \\n\nEOF",
      'f() { echo "in f: $1"; }; f "a b"',
      'echo a; echo \'b;c\' ; echo "d;e"',
    ];
    for (const command of commands) {
      const playground = await fresh();
      const result = await runMonitored(sh(command), playground);
      expect(result.log.summary, command).toEqual({ kind: 'succeeded' });
      expect(result.out.toString(), command).toBe(
        (await bashDirectly(command, playground)).toString(),
      );
    }
  });

  it('exec leaves: any unicode argument comes out byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 1, maxLength: 4 }),
        async (args) => {
          const clean = args.map((a) => a.replaceAll('\0', ''));
          const result = await runMonitored(exec('printf', '%s\\0', ...clean), await fresh());
          expect(result.out.toString('utf8')).toBe(clean.map((a) => `${a}\0`).join(''));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('the monitored script logs and stops at the first failure', () => {
  it('logs start, each command and success, and writes its pid first', async () => {
    const program = and(sh('echo one'), exec('echo', 'two'), and(sh('echo three >&2')));
    const before = Date.now();
    const result = await runMonitored(program, dir.path);
    expect(result.exitCode).toBe(0);
    expect(result.out.toString()).toBe('one\ntwo\n');
    expect(result.err).toBe('three\n');
    expect(result.pidFile).toBe(`${result.pid}\n`);
    expect(result.log.entries.map((e) => e.kind)).toEqual([
      'start',
      ...['before-cmd', 'after-cmd', 'before-cmd', 'after-cmd', 'before-cmd', 'after-cmd'],
      'success',
    ]);
    expect(result.log.entries.filter((e) => e.kind === 'before-cmd')).toEqual(
      programLeaves(program).map((leaf) =>
        expect.objectContaining({ label: leaf.label, command: leaf.command }),
      ),
    );
    for (const entry of result.log.entries) {
      expect(entry.time).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(entry.time).toBeLessThanOrEqual(Date.now());
    }
    expect(
      result.logText.split('\n').every((line) => line === '' || /^\d+[.,]\d+\t/.test(line)),
    ).toBe(true);
  });

  it('stops at the first failing command and records its exit code', async () => {
    const result = await runMonitored(
      and(sh('echo one'), sh('echo two; exit 3'), sh('echo three')),
      dir.path,
    );
    expect(result.exitCode).toBe(3);
    expect(result.out.toString()).toBe('one\ntwo\n');
    expect(result.log.summary).toEqual({
      kind: 'failed',
      label: 'cmd-2',
      code: 3,
      command: 'echo two; exit 3',
    });
    expect(result.log.entries.at(-2)).toMatchObject({ kind: 'after-cmd', label: 'cmd-2', code: 3 });
  });

  it('records a plain non-zero status, command not found, and a syntax error', async () => {
    const failing = await runMonitored(and(exec('false'), sh('echo never')), await fresh());
    expect(failing.log.summary).toMatchObject({ kind: 'failed', label: 'cmd-1', code: 1 });
    expect(failing.out.toString()).toBe('');

    const notFound = await runMonitored(sh('ketrew-no-such-command-xyz --flag'), await fresh());
    expect(notFound.log.summary).toMatchObject({ kind: 'failed', code: 127 });
    expect(notFound.err).toMatch(/ketrew-no-such-command-xyz/);

    const execNotFound = await runMonitored(exec('ketrew-no-such-command-xyz'), await fresh());
    expect(execNotFound.log.summary).toMatchObject({ kind: 'failed', code: 127 });

    const syntax = await runMonitored(
      and(sh('echo "unterminated'), sh('echo after')),
      await fresh(),
    );
    expect(syntax.log.summary).toMatchObject({ kind: 'failed', label: 'cmd-1', code: 2 });
    expect(syntax.out.toString()).toBe('');
  });

  it('records a failure under `set -e`', async () => {
    const result = await runMonitored(
      and(sh('set -e'), sh('false; echo no'), sh('echo no')),
      dir.path,
    );
    expect(result.log.summary).toMatchObject({ kind: 'failed', label: 'cmd-2', code: 1 });
    expect(result.out.toString()).toBe('');
  });

  it('treats `exit 0` inside a command as the end of a successful script', async () => {
    const result = await runMonitored(and(sh('echo a; exit 0'), sh('echo b')), dir.path);
    expect(result.log.summary).toEqual({ kind: 'succeeded' });
    expect(result.out.toString()).toBe('a\n');
  });

  it('runs the commands in one shell, in the playground, with stdin from /dev/null', async () => {
    await mkdir(join(dir.path, 'sub'));
    const result = await runMonitored(
      and(sh('pwd'), sh('cd sub && X=kept'), sh('pwd; echo "$X"'), sh('cat; echo eof')),
      dir.path,
    );
    expect(result.out.toString()).toBe(`${dir.path}\n${dir.path}/sub\nkept\neof\n`);
  });

  it('succeeds at once for an empty program', async () => {
    const result = await runMonitored(and(), dir.path);
    expect(result.log.entries.map((e) => e.kind)).toEqual(['start', 'success']);
  });

  it('exits without running anything when the playground is marked abandoned', async () => {
    await writeFile(join(dir.path, MONITORED_FILES.abandoned), '');
    const result = await runMonitored(sh('echo ran > ran'), dir.path);
    expect(result.exitCode).toBe(75);
    expect(result.pidFile).toBe(`${result.pid}\n`);
    expect(result.logText).toBe('');
    await expect(stat(join(dir.path, 'ran'))).rejects.toThrow();
  });

  it('leaves stdout and stderr alone when asked not to redirect', async () => {
    const result = await runMonitored(sh('echo hi'), dir.path, { redirectOutput: false });
    expect(result.log.summary).toEqual({ kind: 'succeeded' });
    await expect(stat(join(dir.path, MONITORED_FILES.stdout))).rejects.toThrow();
  });

  it('writes header directives and the job name', async () => {
    await runMonitored(sh('true'), dir.path, {
      directives: ['#SBATCH --job-name=x'],
      jobName: 'ketrew-n1-a1',
    });
    const script = await readFile(join(dir.path, MONITORED_FILES.script), 'utf8');
    expect(script.split('\n').slice(0, 4)).toEqual([
      '#!/usr/bin/env bash',
      '#SBATCH --job-name=x',
      expect.stringMatching(/^# ketrew-monitored-script 1 /),
      '# job: ketrew-n1-a1',
    ]);
  });
});

/**
 * Wait until the script's `sleep` command runs (exec'd, in the script's group): a signal sent to
 * the group between the fork of a command and its exec would not reach the command.
 */
async function sleepRunsIn(pgid: number): Promise<void> {
  await waitFor('the sleep command to run', async () => {
    for (const pid of await liveGroupMembers(pgid)) {
      const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
      if (comm === 'sleep\n') return true;
    }
    return false;
  });
}

describe('the monitored script records signals', () => {
  afterEach(() => killStartedGroups());

  for (const [signal, code] of [
    ['TERM', 143],
    ['INT', 130],
    ['HUP', 129],
  ] as const) {
    it(`logs "killed ${signal}" when its group gets SIG${signal}`, async () => {
      const job = await startMonitored(and(sh('sleep 1000'), sh('echo never')), dir.path);
      await sleepRunsIn(job.pid);
      process.kill(-job.pid, `SIG${signal}`);
      const result = await job.done;
      expect(result.exitCode).toBe(code);
      expect(result.log.summary).toEqual({ kind: 'killed', signal });
      expect(result.out.toString()).toBe('');
    });
  }

  it('logs nothing more when killed with SIGKILL (cannot be trapped)', async () => {
    const job = await startMonitored(sh('sleep 1000'), dir.path);
    await sleepRunsIn(job.pid);
    process.kill(-job.pid, 'SIGKILL');
    const result = await job.done;
    expect(result.signal).toBe('SIGKILL');
    expect(result.log.summary).toMatchObject({ kind: 'running', label: 'cmd-1' });
  });
});
