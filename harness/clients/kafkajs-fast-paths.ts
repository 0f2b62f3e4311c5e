import { ConfigError } from '../errors.js';
import { groupMessagesPerPartition, type KafkajsInternals, produceRequestV3 } from './kafkajs-produce-request.js';
import { fastRecordEncoder } from './kafkajs-record-encoder.js';

// The harness's faster drop-ins for three kafkajs modules: the record encoder (kafkajs-record-encoder.ts), the
// produce request and the grouping of a send by partition (kafkajs-produce-request.ts). Each writes the same bytes
// as kafkajs's module (unit-tested). They go into the harness's own kafkajs copy (scripts/bundle-kafkajs.mjs), where
// each of the three modules is a switch that calls its hook when one is set.

type Fn = (...args: never[]) => unknown;

/** The harness's kafkajs copy, as scripts/bundle-kafkajs.mjs builds it. */
export interface KafkajsCopy {
  readonly kafkajs: unknown;
  readonly hooks: { record?: Fn; produceRequestV3?: Fn; groupMessagesPerPartition?: Fn };
  readonly originals: { readonly record: Fn; readonly produceRequestV3: Fn; readonly groupMessagesPerPartition: Fn };
  readonly internals: {
    readonly Runner: { prototype: object };
    readonly ConsumerGroup: { prototype: object };
    readonly RequestQueue: { prototype: object };
    readonly Connection: { prototype: object };
    readonly errorCodes: readonly { type: string; message: string }[];
    readonly Encoder: KafkajsInternals['Encoder'] & { prototype: object };
    readonly Decoder: new (buffer: Buffer) => unknown;
    readonly Long: KafkajsInternals['Long'];
    readonly apiKeys: { readonly Produce: number };
    readonly compression: { readonly Types: { readonly None: number } };
    readonly Record: KafkajsInternals['Record'];
    readonly RecordBatch: KafkajsInternals['RecordBatch'];
  };
}

/** GAMELAN_KAFKAJS_FAST_PATHS=off keeps kafkajs's own modules (to compare, or to rule the drop-ins out). */
export const FAST_PATHS_SWITCH = 'GAMELAN_KAFKAJS_FAST_PATHS';

function fastPathsWanted(): boolean {
  const value = process.env[FAST_PATHS_SWITCH];
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${FAST_PATHS_SWITCH}=${JSON.stringify(value)} is not allowed: use on (the default) or off.`,
    { key: FAST_PATHS_SWITCH, value },
  );
}

/** Sets the copy's hooks to the drop-ins (none with GAMELAN_KAFKAJS_FAST_PATHS=off); says which are in place. */
export function installKafkajsFastPaths(copy: KafkajsCopy): {
  readonly record: boolean;
  readonly produceRequest: boolean;
  readonly group: boolean;
} {
  if (!fastPathsWanted()) return { record: false, produceRequest: false, group: false };
  const k = copy.internals;
  copy.hooks.record = fastRecordEncoder(copy.originals.record as never, k.Encoder) as Fn;
  copy.hooks.produceRequestV3 = produceRequestV3({
    Encoder: k.Encoder,
    Long: k.Long,
    apiKey: k.apiKeys.Produce,
    compressionNone: k.compression.Types.None,
    Record: k.Record,
    RecordBatch: k.RecordBatch,
  }) as Fn;
  copy.hooks.groupMessagesPerPartition = groupMessagesPerPartition as Fn;
  return { record: true, produceRequest: true, group: true };
}
