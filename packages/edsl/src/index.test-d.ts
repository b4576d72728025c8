import { describe, expectTypeOf, it } from 'vitest';
import { Condition, Host, Program, Volume, workflowNode, withoutProduct } from './index.js';
import type * as Edsl from './index.js';

describe('the package root', () => {
  it('exports Host, Program, Condition and Volume as both builders and wire types', () => {
    const host: Host = Host.parse('/tmp/KT');
    const program: Program = Program.sh('true');
    const condition: Condition = Condition.never();
    const volume: Volume = Volume.ofFile('/tmp/x');
    expectTypeOf(host).toEqualTypeOf<Edsl.Host>();
    expectTypeOf(program).toEqualTypeOf<Edsl.ProgramSpec>();
    expectTypeOf(condition).toEqualTypeOf<Edsl.ConditionSpec>();
    expectTypeOf(volume.host).toEqualTypeOf<Edsl.Host>();
  });

  it('keeps the wire types the engine codes against', () => {
    const node = workflowNode(withoutProduct());
    expectTypeOf(node.make).toEqualTypeOf<Edsl.BuildProcessSpec>();
    expectTypeOf(node.retry).toEqualTypeOf<Edsl.RetryPolicy | null>();
    expectTypeOf(node.resources).toEqualTypeOf<Edsl.Resources>();
    expectTypeOf<Edsl.WorkflowSpec['nodes'][number]>().toEqualTypeOf<Edsl.NodeSpec>();
    expectTypeOf<Edsl.NodeSpec['condition']>().toEqualTypeOf<Edsl.ConditionSpec | null>();
    expectTypeOf<Edsl.DaemonizeSpec['using']>().toEqualTypeOf<'nohup-setsid' | 'python-daemon'>();
    expectTypeOf<Edsl.FailureReasonKind>().toExtend<string>();
  });
});
