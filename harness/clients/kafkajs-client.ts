import type * as Kafkajs from 'kafkajs';
import { ConfigError } from '../errors.js';
import type {
  Admin,
  ClientLogLevel,
  ClientLogSink,
  ClientOptions,
  Consumer,
  ConsumerOptions,
  KafkaClient,
  Producer,
} from './client-api.js';
import { describeConsumerGroup, Kafka, logLevel } from './kafkajs.js';
import { kafkajsSecurity } from './kafkajs-security.js';
import { setOffsetsAsGroup } from './kafkajs-set-offsets.js';
import { harnessLogSink } from './log.js';

// The kafkajs adapter of client-api.ts, on the harness's own kafkajs copy. Its producers, consumers and admins are
// kafkajs's own objects: they satisfy the interface structurally (checked below), so nothing wraps the data path.

const LEVELS: Record<ClientLogLevel, Kafkajs.logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};
const LEVEL_NAMES = new Map<number, Exclude<ClientLogLevel, 'nothing'>>([
  [logLevel.ERROR, 'error'],
  [logLevel.WARN, 'warn'],
  [logLevel.INFO, 'info'],
  [logLevel.DEBUG, 'debug'],
]);

/** A kafkajs log creator handing each entry to `sink`. */
export function kafkajsLogCreator(sink: ClientLogSink): Kafkajs.logCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...fields } = log;
      sink({ level: LEVEL_NAMES.get(level) ?? 'error', namespace, message, fields });
    };
}

/** The kafkajs configuration of client options. */
export function kafkajsConfig(options: ClientOptions): Kafkajs.KafkaConfig {
  return {
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: LEVELS[options.logLevel ?? 'error'],
    logCreator: kafkajsLogCreator(options.log ?? harnessLogSink),
    ...(options.socketFactory && { socketFactory: options.socketFactory as Kafkajs.ISocketFactory }),
    ...(options.connectionTimeout !== undefined && { connectionTimeout: options.connectionTimeout }),
    ...(options.requestTimeout !== undefined && { requestTimeout: options.requestTimeout }),
    ...(options.retry && { retry: options.retry }),
    ...kafkajsSecurity(options.security),
  };
}

/** The harness's client on kafkajs. */
export function createKafkajsClient(options: ClientOptions): KafkaClient {
  return wrapKafkajs(new Kafka(kafkajsConfig(options)));
}

/**
 * A kafkajs client (the harness's copy or a user's own) as the harness's client. A kafkajs client satisfies
 * KafkaClient as it is; this wrapper adds only the refusal of the consumer group protocol kafkajs cannot speak.
 */
export function wrapKafkajs(kafka: Kafkajs.Kafka): KafkaClient {
  const client = {
    producer: (options) => kafka.producer(options) satisfies Producer,
    consumer: ({ groupProtocol, ...options }: ConsumerOptions) => {
      if (groupProtocol === 'consumer') {
        throw new ConfigError(
          'CONFIG_INVALID_VALUE',
          `kafkajs speaks only the classic group protocol; groupProtocol "consumer" (KIP-848) needs the platformatic client.`,
          {
            key: 'groupProtocol',
            value: groupProtocol,
          },
        );
      }
      return kafka.consumer(options) satisfies Consumer;
    },
    admin: (options) => {
      const admin = kafka.admin(options) satisfies Admin;
      // Consumer-protocol groups (KIP-848), which kafkajs's describeGroups sees as empty and Dead.
      return Object.assign(admin, {
        describeConsumerGroup: (groupId: string) => describeConsumerGroup(admin, groupId),
        // kafkajs's own waits out a full default fetch (5 s) per reset.
        setOffsets: (offsets: Parameters<Admin['setOffsets']>[0]) => setOffsetsAsGroup(client, offsets),
      }) satisfies Admin;
    },
  } satisfies KafkaClient;
  return client;
}
