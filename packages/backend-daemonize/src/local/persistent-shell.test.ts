import { TransportError } from '@ketrew/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { PersistentShell } from './persistent-shell.js';

// A real `sh` on this machine: requests, answers, and what happens when the shell goes away.

const shells: PersistentShell[] = [];
afterEach(() => {
  for (const shell of shells.splice(0)) shell.close();
});

function shell(timeoutMs = 20_000): PersistentShell {
  const made = new PersistentShell({
    argv: ['sh'],
    prelude: `answer() { printf '%s %s\\n' "$1" "$2"; }`,
    timeoutMs,
  });
  shells.push(made);
  return made;
}

describe('PersistentShell', () => {
  it('answers requests in one shell, concurrent ones included', async () => {
    const sh = shell();
    const answers = await Promise.all(
      ['a', 'b c', 'd'].map((word) => sh.ask((tag) => `answer ${tag} '${word}'`)),
    );
    expect(answers).toEqual(['a', 'b c', 'd']);
    const pid = sh.pid;
    expect(await sh.ask((tag) => `answer ${tag} "$$"`)).toBe(String(pid));
  });

  it('fails the requests in flight recoverably when the shell dies, then starts another', async () => {
    const sh = shell();
    const first = sh.pid ?? Number(await sh.ask((tag) => `answer ${tag} "$$"`));
    const dying = sh.ask(() => 'kill -9 $$');
    await expect(dying).rejects.toBeInstanceOf(TransportError);
    await expect(dying).rejects.toMatchObject({ recoverable: true });
    const second = Number(await sh.ask((tag) => `answer ${tag} "$$"`));
    expect(second).not.toBe(first);
  });

  it('kills a shell that does not answer in time, and goes on with a new one', async () => {
    const sh = shell(300);
    await expect(sh.ask(() => 'sleep 30')).rejects.toMatchObject({
      recoverable: true,
      message: expect.stringMatching(/no answer within 300 ms/),
    });
    expect(await sh.ask((tag) => `answer ${tag} ok`)).toBe('ok');
  });

  it('refuses requests after close', async () => {
    const sh = shell();
    await sh.ask((tag) => `answer ${tag} x`);
    sh.close();
    await expect(sh.ask((tag) => `answer ${tag} x`)).rejects.toMatchObject({ recoverable: false });
  });
});
