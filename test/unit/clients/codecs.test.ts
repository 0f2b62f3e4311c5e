import { describe, expect, it } from 'vitest';
import { missingCodecError } from '../../../harness/clients/codecs.js';
import { TopicError } from '../../../harness/errors.js';

// A kafkajs consumer without a codec for a batch crashes for good: the harness says which codec and how to fix it.
const notImplemented = (message: string) => Object.assign(new Error(message), { name: 'KafkaJSNotImplemented' });

describe('missingCodecError', () => {
  it('snappy: TOPIC_READ_FAILED naming the reader, the topics and the fix, with the kafkajs error as cause', () => {
    const cause = notImplemented('Snappy compression not implemented');
    const error = missingCodecError(cause, 'FlowRecorder', ['workflow-tasks', 'workflow-results'])!;
    expect(error).toBeInstanceOf(TopicError);
    expect(error).toMatchObject({ code: 'TOPIC_READ_FAILED', cause });
    expect(error.message).toBe(
      'FlowRecorder: snappy-compressed batches on workflow-tasks, workflow-results cannot be read: this kafkajs client has no snappy codec, and its consumer stopped. ' +
        'Make the kafkajs client with kafkajsClient(config) from the harness (its kafkajs copy has the snappy codec), or register one in your kafkajs: CompressionCodecs[CompressionTypes.Snappy] = require("kafkajs-snappy").',
    );
  });

  it.each(['LZ4', 'ZSTD'])('%s: says which compressions the harness reads', (codec) => {
    expect(
      missingCodecError(notImplemented(`${codec} compression not implemented`), 'TaskConsumer', ['t'])!.message,
    ).toMatch(
      new RegExp(
        `^TaskConsumer: ${codec.toLowerCase()}-compressed batches on t cannot be read: .*reads uncompressed, gzip and snappy batches`,
      ),
    );
  });

  it.each([
    new Error('Closed connection'),
    notImplemented('Something else not implemented'),
    Object.assign(new Error('Snappy compression not implemented'), { name: 'OtherError' }),
    undefined,
    null,
    'text',
  ])('other crashes are not its business (%s)', (error) => {
    expect(missingCodecError(error, 'FlowRecorder', ['t'])).toBeUndefined();
  });
});
