import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import { groupMessagesPerPartition, type KafkajsInternals, produceRequestV3 } from './kafkajs-produce-request.js';
import { fastRecordEncoder } from './kafkajs-record-encoder.js';

// Puts the harness's faster drop-ins for three kafkajs modules into Node's module cache, where kafkajs's own
// require() finds them: the record encoder (kafkajs-record-encoder.ts), the produce request and the grouping of
// a send by partition (kafkajs-produce-request.ts). Each writes the same bytes as kafkajs's module (unit-tested).
// A module can only be replaced before the module that requires it is loaded: kafkajs loads its produce request
// at the first produce, but groupMessagesPerPartition with kafkajs itself. So this runs twice: when a process
// entry point loads (kafkajs-preload.ts, before kafkajs) and at the first client (applyKafkajsFixes). Whatever
// was loaded earlier stays kafkajs's own: the same bytes, only slower.

const require = createRequire(import.meta.url);

const MODULES = {
  record: 'kafkajs/src/protocol/recordBatch/record/v0/index.js',
  produceRequest: 'kafkajs/src/protocol/requests/produce/v3/request.js',
  group: 'kafkajs/src/producer/groupMessagesPerPartition.js',
  sendMessages: 'kafkajs/src/producer/sendMessages.js',
} as const;

/** Which drop-ins are in place in this process (for the bench's report). */
export const fastPaths = { record: false, produceRequest: false, group: false };

const isLoaded = (id: string) => require.cache[require.resolve(id)] !== undefined;

/** Replace a module's exports in the cache (loading the original first: kafkajs's other modules may need it). */
function replaceExports(id: string, make: (original: unknown) => unknown): void {
  const original: unknown = require(id);
  require.cache[require.resolve(id)]!.exports = make(original);
}

/** GAMELAN_KAFKAJS_FAST_PATHS=off keeps kafkajs's own modules (to compare, or to rule the drop-ins out). */
export const FAST_PATHS_SWITCH = 'GAMELAN_KAFKAJS_FAST_PATHS';

function fastPathsWanted(): boolean {
  const value = process.env[FAST_PATHS_SWITCH];
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new ConfigError('CONFIG_INVALID_VALUE', `${FAST_PATHS_SWITCH}=${JSON.stringify(value)} is not allowed: use on (the default) or off.`, { key: FAST_PATHS_SWITCH, value });
}

/** Install every drop-in whose requiring module is not loaded yet (idempotent; none with GAMELAN_KAFKAJS_FAST_PATHS=off). */
export function installKafkajsFastPaths(): typeof fastPaths {
  if (!fastPathsWanted()) return fastPaths;
  if (!fastPaths.group && !isLoaded(MODULES.sendMessages)) {
    replaceExports(MODULES.group, () => groupMessagesPerPartition);
    fastPaths.group = true;
  }
  if (!fastPaths.produceRequest && !isLoaded(MODULES.produceRequest)) {
    const Encoder = require('kafkajs/src/protocol/encoder.js') as KafkajsInternals['Encoder'] & { prototype: object };
    if (!fastPaths.record) {
      replaceExports(MODULES.record, (original) => fastRecordEncoder(original as Parameters<typeof fastRecordEncoder>[0], Encoder));
      fastPaths.record = true;
    }
    const internals: KafkajsInternals = {
      Encoder,
      Long: require('kafkajs/src/utils/long.js') as KafkajsInternals['Long'],
      apiKey: (require('kafkajs/src/protocol/requests/apiKeys.js') as { Produce: number }).Produce,
      compressionNone: (require('kafkajs/src/protocol/message/compression/index.js') as { Types: { None: number } }).Types.None,
      Record: require(MODULES.record) as KafkajsInternals['Record'],
      RecordBatch: (require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: KafkajsInternals['RecordBatch'] }).RecordBatch,
    };
    replaceExports(MODULES.produceRequest, () => produceRequestV3(internals));
    fastPaths.produceRequest = true;
  }
  return fastPaths;
}
