import { describe, expect, it } from 'vitest';
import { Host } from '../host/host.js';
import { Program } from '../program/program.js';
import { ConditionSchema } from '../wire/condition-schema.js';
import { Condition } from './condition.js';
import { Volume } from './volume.js';

describe('Condition', () => {
  const volume = Volume.ofFile('/data/x.bam');

  it('builds every kind of condition in the wire format', () => {
    const host = Host.parse('ssh://cluster/kt');
    const condition = Condition.and(
      Condition.never(),
      Condition.volumeExists(volume),
      Condition.volumeSizeAtLeast(volume, 1024),
      Condition.commandReturns(Program.sh('test -s /data/x.bam'), 0, { host }),
      Condition.and(),
    );
    expect(condition).toEqual({
      kind: 'and',
      conditions: [
        { kind: 'never' },
        { kind: 'volume-exists', volume },
        { kind: 'volume-size-at-least', volume, bytes: 1024 },
        {
          kind: 'command-returns',
          program: { kind: 'sh', command: 'test -s /data/x.bam' },
          host,
          returns: 0,
        },
        { kind: 'and', conditions: [] },
      ],
    });
    expect(ConditionSchema.parse(condition)).toEqual(condition);
  });

  it('runs commands on /tmp of localhost by default', () => {
    expect(Condition.commandReturns(Program.sh('true'), 1)).toMatchObject({
      host: Host.tmpOnLocalhost,
      returns: 1,
    });
  });

  it.each([
    [() => Condition.volumeSizeAtLeast(volume, -1), /bytes must be an integer >= 0, got -1/],
    [() => Condition.volumeSizeAtLeast(volume, 1.5), /bytes must be an integer >= 0/],
    [() => Condition.commandReturns(Program.sh('x'), 0.5), /code must be an integer/],
  ])('rejects bad numbers (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});
