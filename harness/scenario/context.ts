import { Faker, en } from '@faker-js/faker';
import type { Admin, Kafka } from 'kafkajs';
import type { GamelanKafkaConfig, TopicRole } from '../config/index.js';
import type { FakeEngine, FakeEngineOptions } from '../engine/engine.js';
import type { ChildExecutor, ChildExecutorOptions } from '../executors/child-executor.js';
import type { FakeExecutor, FakeExecutorOptions } from '../executors/executor.js';
import type { MatchResult } from '../matchers/index.js';
import type { FlowRecorder } from '../recorder/recorder.js';
import type { MockServices } from '../../mocks/index.js';

/** Everything a scenario plays with: its own topics and groups on the shared broker. */
export interface ScenarioContext {
  readonly kafka: Kafka;
  readonly bootstrapServers: readonly string[];
  readonly admin: Admin;
  /** The configuration with this scenario's own topic names and group ids. */
  readonly config: GamelanKafkaConfig;
  readonly topics: Readonly<Record<TopicRole, string>>;
  /** Unique per play: prefix group ids with it. */
  readonly prefix: string;
  readonly recorder: FlowRecorder;
  readonly mocks: MockServices;
  /** Seeded faker: the same scenario gets the same data. */
  readonly faker: Faker;
  readonly signal: AbortSignal;
  startEngine(options?: Partial<Omit<FakeEngineOptions, 'kafka' | 'config'>>): Promise<FakeEngine>;
  startExecutor(options: Omit<FakeExecutorOptions, 'kafka' | 'config'>): Promise<FakeExecutor>;
  /** A fake executor in its own process, for real crashes (`crash()` is kill -9). */
  startExecutorProcess(options: Omit<ChildExecutorOptions, 'bootstrapServers' | 'config'>): Promise<ChildExecutor>;
  /** A named step: timed, reported, failing the scenario when it throws. */
  step<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
  /** Fail the step unless the matcher passed; the matcher's message says what the flow held. */
  check(result: MatchResult | Promise<MatchResult>): Promise<void>;
  /** Record a figure for the report (retry gaps, lag peak, rebalance time…). */
  measure(name: string, value: unknown): void;
  log(message: string): void;
}

export class ScenarioAssertionError extends Error {
  override readonly name = 'ScenarioAssertionError';
}

export function seededFaker(seed: number): Faker {
  const f = new Faker({ locale: [en] });
  f.seed(seed);
  return f;
}
