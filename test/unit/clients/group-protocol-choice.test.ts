import { describe, expect, it } from 'vitest';
import { applyGroupProtocolChoice } from '../../../harness/cli/group-protocol-option.js';
import { isBadInput } from '../../../harness/cli/report-error.js';
import {
  assertClientSpeaks,
  chooseGroupProtocol,
  GROUP_PROTOCOL_ENV,
  parseGroupProtocol,
} from '../../../harness/clients/group-protocol-choice.js';
import { replayCommandFor } from '../../../harness/scenario/replay.js';
import { ConfigError } from '../../../harness/errors.js';

describe('choosing the consumer group protocol', () => {
  it('takes an explicit choice over GAMELAN_KAFKA_GROUP_PROTOCOL over the default (classic)', () => {
    expect(chooseGroupProtocol(undefined, { env: {} })).toBe('classic');
    expect(chooseGroupProtocol(undefined, { env: { [GROUP_PROTOCOL_ENV]: 'consumer' } })).toBe('consumer');
    expect(chooseGroupProtocol('classic', { env: { [GROUP_PROTOCOL_ENV]: 'consumer' } })).toBe('classic');
    expect(chooseGroupProtocol(undefined, { env: { [GROUP_PROTOCOL_ENV]: '' } })).toBe('classic');
  });

  it('refuses an unknown protocol, naming the input, the value and what is allowed', () => {
    expect(() => parseGroupProtocol('cooperative', '--group-protocol')).toThrow(
      '--group-protocol "cooperative" is not a consumer group protocol; allowed: classic, consumer.',
    );
    expect(() => chooseGroupProtocol(undefined, { env: { [GROUP_PROTOCOL_ENV]: 'eager' } })).toThrow(
      /GAMELAN_KAFKA_GROUP_PROTOCOL "eager"/,
    );
    expect(() => chooseGroupProtocol('x')).toThrow(/groupProtocol "x"/);
  });

  it('refuses consumer with the kafkajs client before anything starts (exit 2), naming the option, the value and the fix', () => {
    let error: unknown;
    try {
      applyGroupProtocolChoice('consumer', 'kafkajs', {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID_VALUE');
    expect((error as ConfigError).message).toBe(
      '--group-protocol consumer: the kafkajs client speaks only the classic group protocol (kafkajs has no KIP-848). ' +
        'Use --client platformatic (GAMELAN_KAFKA_CLIENT=platformatic; Node 22.22+ or 24.6+), or --group-protocol classic.',
    );
    expect(isBadInput(error)).toBe(true);
    // From the environment, the message names the variable.
    expect(() => applyGroupProtocolChoice(undefined, 'kafkajs', { [GROUP_PROTOCOL_ENV]: 'consumer' })).toThrow(
      /^GAMELAN_KAFKA_GROUP_PROTOCOL consumer: the kafkajs client/,
    );
    expect(() => assertClientSpeaks('platformatic', 'consumer')).not.toThrow();
    expect(() => assertClientSpeaks('kafkajs', 'classic')).not.toThrow();
  });

  it('makes the choice the process default, which workspaces, engines, executors and child executors read', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(applyGroupProtocolChoice(undefined, 'kafkajs', env)).toBe('classic');
    expect(env[GROUP_PROTOCOL_ENV]).toBe('classic');
    expect(applyGroupProtocolChoice('classic', undefined, { ...env, [GROUP_PROTOCOL_ENV]: 'consumer' })).toBe(
      'classic',
    );
  });

  it('a replay command keeps a non-default group protocol', () => {
    const scenario = [{ name: 'rebalance', file: 'elsewhere/rebalance.ts' }];
    expect(replayCommandFor(scenario, 7, { groupProtocol: 'consumer', env: {} })).toContain(
      '--group-protocol consumer',
    );
    expect(replayCommandFor(scenario, 7, { groupProtocol: 'classic', env: {} })).not.toContain('--group-protocol');
  });
});
