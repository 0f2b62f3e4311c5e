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
  readConfig,
  openWorkspace,
  startStack,
  type Workspace,
} from '../../harness/index.js';
import { useWorkspace } from '../../harness/vitest/index.js';

// Configuration: camelCase, typed enums.
expectTypeOf(readConfig().gamelan.producer.acks).toEqualTypeOf<'all' | '-1' | '0' | '1'>();
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
expectTypeOf(expect(recorder).toMatchSchema).returns.not.toMatchTypeOf<Promise<unknown>>();
// @ts-expect-error a run id is required
void expect(recorder).toHaveCompletedRun();

// The entry points as users import them (tsconfig "paths" map them to the sources, package.json "exports" to dist/).
import * as root from 'gamelan-kafka-harness';
import * as protocol from 'gamelan-kafka-harness/protocol';
import * as contract from 'gamelan-kafka-harness/contract';
import * as brokers from 'gamelan-kafka-harness/brokers';
import * as conformance from 'gamelan-kafka-harness/conformance';
import * as load from 'gamelan-kafka-harness/load';
import * as faults from 'gamelan-kafka-harness/faults';
import * as mocks from 'gamelan-kafka-harness/mocks';
import * as kit from 'gamelan-kafka-harness/vitest';
import * as globalSetup from 'gamelan-kafka-harness/vitest/global-setup';
import * as config from 'gamelan-kafka-harness/config';
import * as fixtures from 'gamelan-kafka-harness/fixtures';
import * as report from 'gamelan-kafka-harness/report';
import * as runner from 'gamelan-kafka-harness/runner';

// The root entry is the common path.
expectTypeOf(root.startStack).toBeFunction();
expectTypeOf(root.connectBroker).returns.resolves.toEqualTypeOf<StartedBroker>();
expectTypeOf(root.onBroker<number>).returns.resolves.toEqualTypeOf<number>();
expectTypeOf(root.openWorkspace).toEqualTypeOf(openWorkspace);
expectTypeOf(root.FakeEngine.start).returns.resolves.toEqualTypeOf<root.FakeEngine>();
expectTypeOf(root.FakeExecutor.start).returns.resolves.toEqualTypeOf<root.FakeExecutor>();
expectTypeOf(root.FlowRecorder.start).returns.resolves.toEqualTypeOf<root.FlowRecorder>();
expectTypeOf(root.runCompleted).returns.resolves.toEqualTypeOf<root.MatchResult>();
expectTypeOf<InstanceType<typeof root.ConfigError>>().toMatchTypeOf<root.HarnessError>();
// What moved to a subpath is no longer at the root.
// @ts-expect-error the protocol clients are at gamelan-kafka-harness/protocol
void root.TaskProducer;
// @ts-expect-error startBroker is at gamelan-kafka-harness/brokers (the root's startStack chooses and starts one)
void root.startBroker;
// @ts-expect-error the contract checks are at gamelan-kafka-harness/contract
void root.checkHandlerContract;
// @ts-expect-error the seeded builders (faker) are at gamelan-kafka-harness/fixtures
void root.buildTask;
// @ts-expect-error the report writers are at gamelan-kafka-harness/report
void root.writeJUnitReport;

// Subpaths.
expectTypeOf(protocol.partitionForKey).returns.toEqualTypeOf<number>();
expectTypeOf(protocol.keyFor).toBeFunction();
expectTypeOf<protocol.TaskMessage>().toEqualTypeOf<TaskMessage>();
expectTypeOf(protocol.dialectNamed('upstream')).toEqualTypeOf<protocol.Dialect>();
expectTypeOf(contract.checkHandlerContract).returns.resolves.toEqualTypeOf<contract.ContractReport>();
expectTypeOf<contract.ContractReport['poisonRecords'][number]['fate']>().toEqualTypeOf<contract.PoisonFate>();
expectTypeOf<contract.PoisonFate>().toEqualTypeOf<
  'dead-lettered' | 'answered' | 'dropped' | 'not-consumed' | 'undetermined'
>();
expectTypeOf<contract.ExecutorContractOptions['strict']>().toEqualTypeOf<boolean | undefined>();
expectTypeOf<contract.HandlerContractOptions['strict']>().toEqualTypeOf<boolean | undefined>();
expectTypeOf(brokers.startBroker).returns.resolves.toEqualTypeOf<StartedBroker>();
expectTypeOf(brokers.consumerLag).returns.resolves.toEqualTypeOf<brokers.PartitionLag[]>();
// @ts-expect-error the faults are at gamelan-kafka-harness/faults only (no entry re-exports another)
void brokers.BrokerFaults;
expectTypeOf(fixtures.buildTask).returns.toEqualTypeOf<TaskMessage>();
expectTypeOf(report.writeJUnitReport).parameter(0).toEqualTypeOf<root.RunSummary>();
expectTypeOf(runner.runScenarios).toBeFunction();
expectTypeOf(config.parseConfig).returns.toEqualTypeOf<root.ApplicationConfig>();
expectTypeOf(globalSetup.createGlobalSetup).toBeFunction();
expectTypeOf<faults.FaultProxyKind>().toEqualTypeOf<'toxiproxy' | 'testcontainers' | 'builtin'>();
expectTypeOf(faults.startToxiproxy).toBeCallableWith({ kind: 'builtin' });
expectTypeOf(faults.startToxiproxy).toBeCallableWith();
expectTypeOf(faults.startToxiproxy).returns.resolves.toEqualTypeOf<faults.StartedToxiproxy>();
expectTypeOf<faults.StartedToxiproxy['source']['kind']>().toEqualTypeOf<
  'url' | 'binary' | 'testcontainers' | 'builtin'
>();
expectTypeOf(conformance.checkConformance).returns.resolves.toEqualTypeOf<conformance.ConformanceReport>();
expectTypeOf(load.runLoad).returns.resolves.toEqualTypeOf<load.LoadRunReport>();
expectTypeOf(mocks.startMockServices).returns.toMatchTypeOf<AsyncDisposable>();
expectTypeOf(kit.useWorkspace).toEqualTypeOf(useWorkspace);
// useFaults() nodes: a native node has a pid, a container node a container id; `'pid' in node` tells them apart.
expectTypeOf<NonNullable<kit.GamelanKafkaContext['faults']>['nodes'][number]>().toEqualTypeOf<kit.GamelanFaultNode>();
expectTypeOf<Extract<kit.GamelanFaultNode, { pid: number }>>().toEqualTypeOf<{
  readonly nodeId: number;
  readonly pid: number;
}>();
expectTypeOf<Extract<kit.GamelanFaultNode, { containerId: string }>['containerName']>().toEqualTypeOf<string>();

// Issue #19: the public types are the harness's own client interface, never kafkajs's. A raw kafkajs client is
// asked for explicitly (kafkajsClient), and one still fits where the harness takes a KafkaClient.
import type * as Kafkajs from 'kafkajs';
expectTypeOf<ReturnType<StartedBroker['kafka']>>().toEqualTypeOf<root.KafkaClient>();
expectTypeOf<Awaited<ReturnType<StartedBroker['admin']>>>().toEqualTypeOf<root.KafkaAdmin>();
expectTypeOf<Workspace['kafka']>().toEqualTypeOf<root.KafkaClient>();
expectTypeOf<Workspace['admin']>().toEqualTypeOf<root.KafkaAdmin>();
expectTypeOf<ReturnType<root.KafkaClient['producer']>>().toEqualTypeOf<root.KafkaProducer>();
expectTypeOf<ReturnType<root.KafkaClient['consumer']>>().toEqualTypeOf<root.KafkaConsumer>();
expectTypeOf<root.KafkaClient>().not.toMatchTypeOf<Kafkajs.Kafka>();
expectTypeOf<root.KafkaAdmin>().not.toMatchTypeOf<Kafkajs.Admin>();
expectTypeOf<root.KafkaProducer>().not.toMatchTypeOf<Kafkajs.Producer>();
expectTypeOf<root.KafkaConsumer>().not.toMatchTypeOf<Kafkajs.Consumer>();
expectTypeOf<root.FakeEngineOptions['kafka']>().toEqualTypeOf<root.KafkaClient>();
expectTypeOf(root.kafkajsClient).returns.toEqualTypeOf<Kafkajs.Kafka>();
expectTypeOf<Kafkajs.Kafka>().toMatchTypeOf<root.KafkaClient>();
