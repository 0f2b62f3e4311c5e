import { describe, expect, it } from 'vitest';
import { startBroker } from '../../../harness/brokers/start-broker.js';
import { parseGlobalSetupOptions } from '../../../harness/vitest/global-setup.js';
import { chooseClient, parseClientKind, platformaticNodeProblem } from '../../../harness/clients/client-choice.js';
import { isBadInput } from '../../../harness/cli/report-error.js';
import { ClientUnavailableError, ConfigError, ERROR_CODES } from '../../../harness/errors.js';

describe('choosing the Kafka client', () => {
  it('takes an explicit choice over GAMELAN_KAFKA_CLIENT over the default (kafkajs)', () => {
    expect(chooseClient(undefined, {}, '20.20.2')).toBe('kafkajs');
    expect(chooseClient(undefined, { GAMELAN_KAFKA_CLIENT: 'platformatic' }, '24.22.3')).toBe('platformatic');
    expect(chooseClient('kafkajs', { GAMELAN_KAFKA_CLIENT: 'platformatic' }, '20.20.2')).toBe('kafkajs');
    expect(chooseClient(undefined, { GAMELAN_KAFKA_CLIENT: '' }, '20.20.2')).toBe('kafkajs');
  });

  it('refuses an unknown client, naming the input and what is allowed', () => {
    expect(() => parseClientKind('rdkafka', '--client')).toThrow(
      '--client "rdkafka" is not a Kafka client the harness has; allowed: kafkajs, platformatic.',
    );
    expect(() => chooseClient(undefined, { GAMELAN_KAFKA_CLIENT: 'nope' })).toThrow(/GAMELAN_KAFKA_CLIENT "nope"/);
  });

  it.each([
    ['20.20.2', false],
    ['22.21.0', false],
    ['22.22.0', true],
    ['23.0.0', true],
    ['24.5.0', false],
    ['24.6.0', true],
    ['26.1.0', true],
  ])('platformatic on Node %s runs: %s', (node, runs) => {
    expect(platformaticNodeProblem(node) === undefined).toBe(runs);
  });

  it('asking for platformatic on an older Node is a typed bad-input error (exit 2) that says which Node it needs', () => {
    let error: unknown;
    try {
      chooseClient('platformatic', {}, '20.20.2');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClientUnavailableError);
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ClientUnavailableError;
    expect(e.name).toBe('ClientUnavailableError');
    expect(e.code).toBe('CONFIG_CLIENT_UNAVAILABLE');
    expect(ERROR_CODES).toContain(e.code);
    expect(e.requirement).toEqual({ client: 'platformatic', needsNode: '22.22+ or 24.6+', node: '20.20.2' });
    expect(e.message).toBe(
      '--client platformatic: @platformatic/kafka 2.12.1 needs Node 22.22+ or 24.6+; this is Node 20.20.2. Run it on Node 22.22+ or 24.6+ (scripts/node-binary.sh 24 fetches one), or use --client kafkajs.',
    );
    expect(isBadInput(e)).toBe(true);
  });

  it('the vitest kit takes a client option and refuses an unknown one', () => {
    expect(parseGlobalSetupOptions({ client: 'platformatic' })).toEqual({ client: 'platformatic' });
    expect(() => parseGlobalSetupOptions({ client: 'rdkafka' })).toThrow(
      /createGlobalSetup: option client = "rdkafka" is invalid/,
    );
  });

  // Where platformatic runs (Node 22.22+/24.6+) there is nothing to refuse: the integration test starts a broker with it.
  it.runIf(platformaticNodeProblem() !== undefined)(
    'a broker asked for with client: platformatic on an older Node is refused before anything starts',
    async () => {
      await expect(
        startBroker('external', { bootstrapServers: ['127.0.0.1:1'], client: 'platformatic' }),
      ).rejects.toBeInstanceOf(ClientUnavailableError);
    },
  );
});
