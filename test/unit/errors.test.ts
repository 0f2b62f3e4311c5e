import { describe, expect, it } from 'vitest';
import {
  BrokerError,
  causeChain,
  ConfigError,
  ContractError,
  ERROR_CODES,
  FaultError,
  HarnessError,
  ProtocolError,
  TimeoutError,
  TopicError,
} from '../../harness/errors.js';

describe('error tree', () => {
  it.each([
    [new ConfigError('CONFIG_UNKNOWN_KEY', 'm'), 'ConfigError', 'CONFIG_UNKNOWN_KEY', false],
    [new BrokerError('BROKER_START_FAILED', 'm'), 'BrokerError', 'BROKER_START_FAILED', false],
    [
      new TopicError('TOPIC_PROVISIONING_FAILED', 'm', { retriable: true }),
      'TopicError',
      'TOPIC_PROVISIONING_FAILED',
      true,
    ],
    [new ProtocolError('MESSAGE_INVALID', 'm'), 'ProtocolError', 'MESSAGE_INVALID', false],
    [new TimeoutError('m'), 'TimeoutError', 'TIMEOUT', true],
    [new ContractError('CONTRACT_EXECUTOR_NOT_JOINED', 'm'), 'ContractError', 'CONTRACT_EXECUTOR_NOT_JOINED', false],
    [new FaultError('FAULT_PROXY_UNAVAILABLE', 'm'), 'FaultError', 'FAULT_PROXY_UNAVAILABLE', false],
  ])('%o has name %s, code %s and retriable %s', (error, name, code, retriable) => {
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe(code);
    expect(error.retriable).toBe(retriable);
    expect(ERROR_CODES).toContain(error.code);
  });

  it('keeps the cause', () => {
    const cause = new Error('root');
    expect(new BrokerError('JAVA_NOT_FOUND', 'm', {}, { cause }).cause).toBe(cause);
  });
});

describe('causeChain', () => {
  it('yields an error and its causes, outermost first, and stops at a self-cause or the depth limit', () => {
    const inner = Object.assign(new Error('inner'), { type: 'REBALANCE_IN_PROGRESS' });
    const outer = new Error('outer', { cause: new Error('middle', { cause: inner }) });
    expect([...causeChain(outer)].map((e) => e.message)).toEqual(['outer', 'middle', 'inner']);
    const loop = new Error('loop') as Error & { cause?: unknown };
    loop.cause = loop;
    expect([...causeChain(loop)]).toHaveLength(1);
    expect([...causeChain(outer, 2)]).toHaveLength(2);
    expect([...causeChain(undefined)]).toEqual([]);
  });
});
