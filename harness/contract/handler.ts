import { isDeepStrictEqual } from 'node:util';
import type { StartedBroker } from '../brokers/types.js';
import type { GamelanKafkaConfig } from '../config/index.js';
import { FakeExecutor } from '../executors/executor.js';
import { isContractBreak, type TaskHandler, type TaskOutput } from '../executors/handler.js';
import { type BrokerSource, onBroker } from '../stack/on-broker.js';
import { type ContractCase, type ContractCaseOptions, contractCases } from './cases.js';
import { type ContractReport, contractRunSettings, runContract } from './run.js';
import { show, type Violation } from './rules.js';

/** What a handler contract run needs besides the broker and the base configuration. */
export interface HandlerContractRun extends Omit<ContractCaseOptions, 'executorType'> {
  /** The executor type the handler serves. */
  readonly executorType: string;
  readonly handler: TaskHandler;
  /** Cases to send instead of `contractCases(options)`. */
  readonly cases?: readonly ContractCase[];
  /** Compatibility cases (in spec: tasks with the upstream Java names) fail the run too (default false: notes). */
  readonly strictCompat?: boolean;
  /** Every "should" fails the run (default false: a warning): an unreadable record dropped without a trace. */
  readonly strict?: boolean;
  readonly answerTimeoutMs?: number;
  readonly settleMs?: number;
}

/** A running broker (`broker`), or a stack started for the run (`stack` options) and stopped afterwards. */
export interface HandlerContractOptions extends HandlerContractRun, BrokerSource {}

/** checkHandlerContract on the given broker, or on a stack started for it and stopped afterwards. */
export function checkHandlerContract(options: HandlerContractOptions): Promise<ContractReport> {
  return onBroker(options, (broker, config) => runHandlerContract(broker, config, options));
}

/**
 * Run a TypeScript handler behind the real protocol (FakeExecutor: its own consumer group, results keyed by
 * runId, poison dead-lettered) on a broker the caller owns, and check the contract case by case from what
 * arrives on the results topic. The handler's output is also checked for JSON round-tripping before it is sent.
 */
export async function runHandlerContract(
  broker: StartedBroker,
  config: GamelanKafkaConfig,
  options: HandlerContractRun,
): Promise<ContractReport> {
  const cases = options.cases ?? contractCases(options);
  const caseOf = new Map(cases.map((c) => [c.task.taskId, c.name]));
  const found: Violation[] = [];
  const handler: TaskHandler = async (task, context) => {
    const output = await options.handler(task, context);
    if (isContractBreak(output)) return output;
    const problem = jsonProblem(output);
    if (problem === undefined) return output;
    found.push({
      case: caseOf.get(task.taskId) ?? task.taskId,
      taskId: task.taskId,
      rule: 'output-json',
      message: problem.message,
      value: problem.value,
    });
    return { 'gamelan.contract': 'output replaced: not JSON-serialisable' } satisfies TaskOutput;
  };
  return runContract({
    broker,
    config,
    executorType: options.executorType,
    cases,
    ...contractRunSettings({
      dialect: options.dialect,
      strictCompat: options.strictCompat,
      strict: options.strict,
      answerTimeoutMs: options.answerTimeoutMs,
      settleMs: options.settleMs,
    }),
    start: async (connection) => {
      const executor = await FakeExecutor.start({
        kafka: connection.kafka,
        config: connection.config,
        executorType: connection.executorType,
        groupId: connection.groupId,
        handler,
        dialect: connection.dialect ?? 'spec',
      });
      return { exited: () => undefined, violations: () => found, stop: () => executor.stop() };
    },
  });
}

/** Why an output does not survive JSON (BigInt, functions, Dates, NaN, cycles…), or undefined. */
export function jsonProblem(output: unknown): { message: string; value: unknown } | undefined {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) {
    return { message: `output is ${show(output)}; it must be a JSON object`, value: output };
  }
  let text: string;
  try {
    text = JSON.stringify(output);
  } catch (e) {
    return { message: `output cannot be serialised to JSON: ${(e as Error).message}`, value: output };
  }
  const path = firstDifference(output, JSON.parse(text) as unknown, '$');
  return path === undefined
    ? undefined
    : { message: `output changes when serialised to JSON at ${path.path}: ${path.what}`, value: path.value };
}

/** What JSON.stringify does to a field it leaves out, in words that say what to do. */
function droppedByJson(field: string, value: unknown): string {
  if (value === undefined)
    return `the field is set to undefined, and JSON has no such value: the result will have no ${show(field)}; leave the field out, or give it null`;
  return `a ${typeof value} is not a JSON value, so the result will have no ${show(field)}: give it a string, number, boolean, object, array or null`;
}

function firstDifference(
  before: unknown,
  after: unknown,
  path: string,
): { path: string; what: string; value: unknown } | undefined {
  if (
    before !== null &&
    typeof before === 'object' &&
    !Array.isArray(before) &&
    Object.getPrototypeOf(before) !== Object.prototype &&
    Object.getPrototypeOf(before) !== null
  ) {
    return {
      path,
      what: `a ${(before as object).constructor?.name ?? 'class'} instance is not plain JSON (it becomes ${show(after)})`,
      value: before,
    };
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < before.length; i++) {
      const d = firstDifference(before[i], after[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (before !== null && typeof before === 'object' && after !== null && typeof after === 'object') {
    for (const [k, v] of Object.entries(before)) {
      if (!(k in after)) return { path: `${path}.${k}`, what: droppedByJson(k, v), value: v };
      const d = firstDifference(v, (after as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return isDeepStrictEqual(before, after)
    ? undefined
    : { path, what: `${show(before)} becomes ${show(after)}`, value: before };
}
