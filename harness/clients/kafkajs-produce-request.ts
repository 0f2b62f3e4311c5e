// kafkajs's produce request (v3, which v4–v7 reuse) and its grouping of a send's messages by partition, without
// two per-record costs of theirs: every record's message object was copied with a spread and
// its timestamps sorted as strings (the smallest and largest are all that is used), and grouping rebuilt each
// partition's array for every message (quadratic in the records of a request). Same bytes, same module shape:
// kafkajs/src/protocol/requests/produce/v3/request.js and producer/groupMessagesPerPartition.js.
// test/unit/clients proves the encoded requests equal kafkajs's.

/** The kafkajs internals the request is built from (kafkajs's own modules, loaded by the caller). */
export interface KafkajsInternals {
  readonly Encoder: new () => EncoderLike;
  readonly Long: { fromInt(value: number): unknown };
  readonly apiKey: number;
  readonly compressionNone: number;
  readonly Record: (fields: object) => unknown;
  readonly RecordBatch: (options: object) => Promise<EncoderLike>;
}

interface EncoderLike {
  writeString(value: string | null): EncoderLike;
  writeInt16(value: number): EncoderLike;
  writeInt32(value: number): EncoderLike;
  writeArray(value: unknown[]): EncoderLike;
  writeEncoder(value: EncoderLike): EncoderLike;
  size(): number;
}

interface ProduceMessage {
  readonly key?: unknown;
  readonly value?: unknown;
  readonly headers?: unknown;
  readonly timestamp?: string | number | null;
}

interface PartitionData {
  readonly partition: number;
  readonly messages: readonly ProduceMessage[];
  readonly firstSequence?: number;
}

interface ProduceRequestOptions {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: unknown;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly { readonly topic: string; readonly partitions: readonly PartitionData[] }[];
}

/** The first and last of the given timestamps in the order Array.prototype.sort() puts them (as strings). */
function timestampRange(messages: readonly ProduceMessage[]): [unknown, unknown] | undefined {
  let first: unknown;
  let last: unknown;
  let firstText = '';
  let lastText = '';
  for (const { timestamp } of messages) {
    if (timestamp == null) continue;
    const text = String(timestamp);
    if (first === undefined || text < firstText) [first, firstText] = [timestamp, text];
    if (last === undefined || text >= lastText) [last, lastText] = [timestamp, text];
  }
  return first === undefined ? undefined : [first, last];
}

/** kafkajs's produce request v3 module (a drop-in for `module.exports` of v3/request.js). */
export function produceRequestV3(k: KafkajsInternals) {
  const encodePartition = async (
    compression: number,
    data: PartitionData,
    transactionalId: string | null,
    producerId: unknown,
    producerEpoch: number,
  ) => {
    const dateNow = Date.now();
    const [firstTimestamp, maxTimestamp] = timestampRange(data.messages) ?? [dateNow, dateNow];
    const records = data.messages.map((message, offsetDelta) =>
      k.Record({
        key: message.key,
        value: message.value,
        headers: message.headers,
        offsetDelta,
        timestampDelta: ((message.timestamp || dateNow) as number) - (firstTimestamp as number),
      }),
    );
    const recordBatch = await k.RecordBatch({
      compression,
      records,
      firstTimestamp,
      maxTimestamp,
      producerId,
      producerEpoch,
      firstSequence: data.firstSequence,
      transactional: !!transactionalId,
      lastOffsetDelta: records.length - 1,
    });
    return new k.Encoder().writeInt32(data.partition).writeInt32(recordBatch.size()).writeEncoder(recordBatch);
  };

  return ({
    acks,
    timeout,
    transactionalId = null,
    producerId = k.Long.fromInt(-1),
    producerEpoch = 0,
    compression = k.compressionNone,
    topicData,
  }: ProduceRequestOptions) => ({
    apiKey: k.apiKey,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => acks !== 0,
    encode: async () => {
      const topics: EncoderLike[] = [];
      for (const { topic, partitions } of topicData) {
        const encoded: EncoderLike[] = [];
        for (const data of partitions)
          encoded.push(await encodePartition(compression, data, transactionalId, producerId, producerEpoch));
        topics.push(new k.Encoder().writeString(topic).writeArray(encoded));
      }
      return new k.Encoder().writeString(transactionalId).writeInt16(acks).writeInt32(timeout).writeArray(topics);
    },
  });
}

interface GroupArgs<M> {
  readonly topic: string;
  readonly partitionMetadata: readonly unknown[];
  readonly messages: readonly M[];
  readonly partitioner: (args: { topic: string; partitionMetadata: readonly unknown[]; message: M }) => number;
}

/** kafkajs's groupMessagesPerPartition in one pass (a drop-in for its `module.exports`). */
export function groupMessagesPerPartition<M>({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupArgs<M>): Record<number, M[]> {
  const result: Record<number, M[]> = {};
  if (partitionMetadata.length === 0) return result;
  for (const message of messages) (result[partitioner({ topic, partitionMetadata, message })] ??= []).push(message);
  return result;
}
