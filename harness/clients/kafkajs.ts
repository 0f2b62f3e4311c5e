import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Kafkajs from 'kafkajs';
import { ConfigError } from '../errors.js';
import { installKafkajsFastPaths, type KafkajsCopy } from './kafkajs-fast-paths.js';
import { applyKafkajsFixes } from './kafkajs-fixes.js';
import type { ConsumerProtocolGroup } from './client-api.js';
import {
  describeConsumerProtocolGroup,
  rememberAdminClusters,
  type DescribeInternals,
} from './consumer-group-describe.js';

// The only module that loads kafkajs's code. It loads the harness's own copy (vendor/kafkajs.cjs, bundled from the
// pinned kafkajs by scripts/bundle-kafkajs.mjs), never the `kafkajs` package a user's code shares the process with:
// the fixes, the faster encoders and the snappy codec below change this copy only.

const COPY = fileURLToPath(new URL('./vendor/kafkajs.cjs', import.meta.url));

function loadCopy(): KafkajsCopy {
  if (!existsSync(COPY)) {
    throw new ConfigError(
      'CONFIG_FILE_NOT_FOUND',
      `The harness's kafkajs copy ${COPY} is missing: run \`node scripts/bundle-kafkajs.mjs\` (npm ci and npm run build make it).`,
      { file: COPY },
    );
  }
  return createRequire(import.meta.url)(COPY) as KafkajsCopy;
}

const copy = loadCopy();
applyKafkajsFixes(copy.internals);
/** Which faster encoders serve this copy (none with GAMELAN_KAFKAJS_FAST_PATHS=off). */
export const fastPaths = installKafkajsFastPaths(copy);

const kafkajs = copy.kafkajs as typeof Kafkajs;
rememberAdminClusters(kafkajs.Kafka);
kafkajs.CompressionCodecs[kafkajs.CompressionTypes.Snappy] = createRequire(import.meta.url)(
  'kafkajs-snappy',
) as (typeof kafkajs.CompressionCodecs)[Kafkajs.CompressionTypes.Snappy];

// Values from the copy, types from the pinned package's declarations (the same kafkajs version).
export const Kafka = kafkajs.Kafka;
export type Kafka = Kafkajs.Kafka;
export const logLevel = kafkajs.logLevel;
export type logLevel = Kafkajs.logLevel;
export const CompressionTypes = kafkajs.CompressionTypes;
export type CompressionTypes = Kafkajs.CompressionTypes;
export const { AssignerProtocol, ConfigResourceTypes, CompressionCodecs } = kafkajs;
/**
 * A consumer-protocol group (KIP-848) as ConsumerGroupDescribe tells it, or undefined when the group is not one (or
 * the admin is not from this copy). kafkajs's own describeGroups sees such a group as empty and "Dead".
 */
export const describeConsumerGroup = (admin: object, groupId: string): Promise<ConsumerProtocolGroup | undefined> =>
  describeConsumerProtocolGroup(copy.internals as unknown as DescribeInternals, admin, groupId);

/** The copy's internal modules the harness builds on (error codes for rebalancing, the Encoder class). */
export const kafkajsInternals = copy.internals;

/**
 * A kafkajs client from the harness's own copy: its fixes, faster encoders and the snappy codec the protocol's
 * default compression needs. A client from your own kafkajs works with the harness too, as shipped (register a
 * snappy codec there yourself for the spec's compression).
 */
export function kafkajsClient(config: Kafkajs.KafkaConfig): Kafkajs.Kafka {
  return new Kafka(config);
}
