import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../harness/engine/clock.js';
import {
  BUNDLED_WORKFLOWS_DIR,
  entryNodes,
  readWorkflows,
  parseWorkflow,
  predecessors,
} from '../../../harness/engine/workflow.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { ConfigError } from '../../../harness/errors.js';

describe('workflow definitions', () => {
  const workflows = readWorkflows(BUNDLED_WORKFLOWS_DIR);

  it('bundles a linear and a fan-out/fan-in workflow', () => {
    const linear = workflows.get('payment-linear')!;
    expect(entryNodes(linear).map((n) => n.id)).toEqual(['validate']);
    const fan = workflows.get('order-fan-out')!;
    expect(predecessors(fan, 'ship').sort()).toEqual(['charge', 'reserve-stock', 'score-fraud']);
  });

  it.each([
    [{ id: 'w', nodes: [] }, 'nodes = [] is not allowed'],
    [{ id: 'w', nodes: [{ id: 'a:b', executor: 'x' }] }, 'nodes.0.id = "a:b" is not allowed: must use only letters'],
    [
      {
        id: 'w',
        nodes: [
          { id: 'a', executor: 'x' },
          { id: 'a', executor: 'y' },
        ],
      },
      'node ids must be unique',
    ],
    [
      { id: 'w', nodes: [{ id: 'a', executor: 'x' }], edges: [{ from: 'a', to: 'b' }] },
      'edges.0.to = "b" is not allowed: must name a node (a)',
    ],
    [
      {
        id: 'w',
        nodes: [
          { id: 'a', executor: 'x' },
          { id: 'b', executor: 'x' },
        ],
        edges: [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
      },
      'must not have a cycle',
    ],
    [{ id: 'w', nodes: [{ id: 'a', executor: 'x', retries: 2 }] }, 'nodes.0'],
  ])('rejects %j', (input, message) => {
    expect(() => parseWorkflow(input, 'wf.yaml')).toThrowError(ConfigError);
    expect(() => parseWorkflow(input, 'wf.yaml')).toThrowError(message);
  });
});

describe('ManualClock', () => {
  it('fires timers in order as time advances, and cancels', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.schedule(200, () => fired.push('b'));
    clock.schedule(100, () => fired.push('a'));
    const cancel = clock.schedule(150, () => fired.push('never'));
    cancel();
    clock.advance(120);
    expect(fired).toEqual(['a']);
    clock.advance(100);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(220);
  });
});
