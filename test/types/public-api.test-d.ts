// Type tests of the public API, checked by `tsc` in `npm test` (typecheck step).
import { expect, expectTypeOf } from 'vitest';
import '../../harness/vitest/index.js';
import {
  behaviours,
  defineScenario,
  type FlowRecorder,
  type GamelanKafkaConfig,
  type ScenarioContext,
  type StartedBroker,
  type TaskHandler,
  type TaskMessage,
  type TaskResultMessage,
  loadConfig,
  openWorkspace,
  startStack,
  type Workspace,
} from '../../harness/index.js';
import { useWorkspace } from '../../harness/vitest/index.js';

// Configuration: camelCase, typed enums.
expectTypeOf(loadConfig().gamelan.producer.acks).toEqualTypeOf<'all' | '-1' | '0' | '1'>();
expectTypeOf<GamelanKafkaConfig['consumer']['autoOffsetReset']>().toEqualTypeOf<'earliest' | 'latest' | 'none'>();

// Started things are disposable.
expectTypeOf<StartedBroker>().toMatchTypeOf<AsyncDisposable>();
expectTypeOf(startStack).returns.resolves.toMatchTypeOf<AsyncDisposable>();
expectTypeOf(openWorkspace).returns.resolves.toEqualTypeOf<Workspace>();
expectTypeOf<Workspace>().toMatchTypeOf<AsyncDisposable>();
expectTypeOf(useWorkspace).returns.toEqualTypeOf<() => Workspace>();
// @ts-expect-error the dialects a workspace speaks are named
void openWorkspace({} as StartedBroker, {} as GamelanKafkaConfig, { name: 'x', dialect: 'klingon' });

// The handler API executor authors write.
const handler: TaskHandler = (task, context) => {
  expectTypeOf(task).toEqualTypeOf<TaskMessage>();
  expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
  return { charged: task.attempt };
};
expectTypeOf(behaviours.failTimes(2, handler)).toEqualTypeOf<TaskHandler>();
expectTypeOf<TaskResultMessage['status']>().toEqualTypeOf<'SUCCESS' | 'FAILURE' | 'TIMEOUT'>();

// Scenarios.
defineScenario({
  name: 'typed',
  description: 'types only',
  async run(ctx) {
    expectTypeOf(ctx).toEqualTypeOf<ScenarioContext>();
    // A workspace without its cleanup (the runner stops it), plus the scenario's reporting.
    expectTypeOf(ctx).toMatchTypeOf<Omit<Workspace, 'stop' | typeof Symbol.asyncDispose>>();
    // @ts-expect-error the runner owns the cleanup
    void ctx.stop();
  },
});

// The vitest matchers are typed through module augmentation and asynchronous.
declare const recorder: FlowRecorder;
expectTypeOf(expect(recorder).toHaveCompletedRun('run-1')).toMatchTypeOf<Promise<unknown>>();
expectTypeOf(expect(recorder).toMatchContract).returns.not.toMatchTypeOf<Promise<unknown>>();
// @ts-expect-error a run id is required
void expect(recorder).toHaveCompletedRun();
