import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { faker } from '@faker-js/faker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  groupMessagesPerPartition,
  type KafkajsInternals,
  produceRequestV3,
} from '../../../harness/clients/kafkajs-produce-request.js';
import {
  encodeRecordBytes,
  fastRecordEncoder,
  type RecordFields,
} from '../../../harness/clients/kafkajs-record-encoder.js';
import { originalKafkajsModule } from '../../support/kafkajs-original.js';
import { kafkajsInternals } from '../../../harness/clients/kafkajs.js';

// The harness's drop-ins for kafkajs's record encoder, produce request and grouping must write exactly the bytes
// kafkajs writes: compared here with kafkajs's own modules (compiled afresh from node_modules) on generated input,
// including input the drop-ins decline (which must then behave, and fail, exactly as kafkajs does).

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../../..');
type EncodeRecord = (fields: RecordFields) => { buffer: Buffer };
const kafkajsRecord = originalKafkajsModule<EncodeRecord>('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const Encoder = require('kafkajs/src/protocol/encoder.js') as KafkajsInternals['Encoder'] & { prototype: object };
const fastRecord = fastRecordEncoder(kafkajsRecord as never, Encoder) as unknown as EncodeRecord;

faker.seed(20261128);

const text = () =>
  faker.helpers.arrayElement([
    faker.lorem.words({ min: 0, max: 40 }),
    faker.string.uuid(),
    faker.internet.emoji().repeat(faker.number.int(30)),
    'é✓𝄞'.repeat(faker.number.int(50)),
    '',
  ]);
const bytes = () =>
  faker.helpers.arrayElement<Buffer | string | null | undefined>([
    Buffer.from(faker.string.alphanumeric({ length: { min: 0, max: 400 } })),
    Buffer.alloc(faker.number.int(300), faker.number.int(255)),
    text(),
    null,
    undefined,
  ]);
const headerValue = () => faker.helpers.arrayElement<Buffer | string>([text(), Buffer.from(text())]);
const delta = () =>
  faker.helpers.arrayElement([
    0,
    1,
    -1,
    63,
    64,
    -64,
    -65,
    127,
    128,
    8191,
    8192,
    2 ** 30 - 1,
    2 ** 30,
    2 ** 31 - 1,
    -(2 ** 31),
    faker.number.int({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    faker.number.int(100_000),
  ]);
const headers = () =>
  Object.fromEntries(
    Array.from({ length: faker.number.int(6) }, () => [
      faker.helpers.arrayElement([faker.word.noun(), 'traceparent', 'gamelan-message-type', 'ключ', '']),
      faker.datatype.boolean(0.8) ? headerValue() : Array.from({ length: faker.number.int(3) }, headerValue),
    ]),
  );
const record = (): RecordFields => ({
  offsetDelta: Math.abs(delta()) % 2 ** 31,
  timestampDelta: delta(),
  key: bytes(),
  value: bytes(),
  headers: headers(),
});

/** What a call gives: its bytes, or the error it throws. */
function outcome(encode: () => { buffer: Buffer }): { bytes: string } | { error: string } {
  try {
    return { bytes: encode().buffer.toString('hex') };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

describe('fast record encoder', () => {
  it('writes the bytes kafkajs writes for 2,000 generated records', () => {
    for (let i = 0; i < 2_000; i++) {
      const fields = record();
      expect(encodeRecordBytes(fields), JSON.stringify(fields)).toBeDefined();
      expect(fastRecord(fields).buffer.toString('hex')).toBe(kafkajsRecord(fields).buffer.toString('hex'));
    }
  });

  it('hands kafkajs an Encoder holding exactly the record (kafkajs sizes the batch from it)', () => {
    const encoder = fastRecord({ key: 'k', value: 'v', headers: { a: 'b' } }) as unknown as {
      size(): number;
      buffer: Buffer;
    };
    expect(encoder).toBeInstanceOf(Encoder);
    expect(encoder.size()).toBe(encoder.buffer.length);
  });

  it.each<[string, RecordFields]>([
    ['a number key', { key: 42 as never, value: 'v' }],
    ['an object value', { key: 'k', value: { a: 1 } as never }],
    ['a null header value', { key: 'k', value: 'v', headers: { a: null } }],
    ['an undefined header value', { key: 'k', value: 'v', headers: { a: undefined } }],
    ['a number header value', { key: 'k', value: 'v', headers: { a: 7 } }],
    ['null headers', { key: 'k', value: 'v', headers: null }],
    ['a timestamp delta beyond int32', { key: 'k', value: 'v', timestampDelta: 2 ** 40 }],
    ['a negative timestamp delta beyond int32', { key: 'k', value: 'v', timestampDelta: -(2 ** 45) }],
    ['a fractional timestamp delta', { key: 'k', value: 'v', timestampDelta: 1.5 }],
    ['a NaN timestamp delta', { key: 'k', value: 'v', timestampDelta: Number.NaN }],
  ])('declines %s to kafkajs, which answers (or fails) as before', (_, fields) => {
    expect(encodeRecordBytes(fields)).toBeUndefined();
    expect(outcome(() => fastRecord(fields))).toEqual(outcome(() => kafkajsRecord(fields)));
  });
});

describe('fast produce request', () => {
  const kafkajs = require('kafkajs') as {
    CompressionTypes: Record<string, number>;
    CompressionCodecs: Record<number, unknown>;
  };
  const Long = require('kafkajs/src/utils/long.js') as { fromInt(v: number): unknown; fromValue(v: unknown): unknown };
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
    RecordBatch: KafkajsInternals['RecordBatch'];
  };
  type Request = (options: object) => {
    apiKey: number;
    apiVersion: number;
    apiName: string;
    expectResponse(): boolean;
    encode(): Promise<{ buffer: Buffer }>;
  };
  const kafkajsRequest = originalKafkajsModule<Request>('kafkajs/src/protocol/requests/produce/v3/request.js', {
    '../../../recordBatch/record/v0': kafkajsRecord,
  });
  const fastRequest = produceRequestV3({
    Encoder,
    Long,
    apiKey: (require('kafkajs/src/protocol/requests/apiKeys.js') as { Produce: number }).Produce,
    compressionNone: kafkajs.CompressionTypes.None!,
    Record: fastRecord,
    RecordBatch,
  }) as unknown as Request;

  beforeAll(() => {
    kafkajs.CompressionCodecs[kafkajs.CompressionTypes.Snappy!] = require('kafkajs-snappy');
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 28, 9, 0, 0) }); // records without a timestamp take Date.now()
  });
  afterAll(() => vi.useRealTimers());

  const timestamp = () =>
    faker.helpers.arrayElement<string | number | null | undefined>([
      String(Date.now() + faker.number.int({ min: -5_000, max: 5_000 })),
      Date.now() - faker.number.int(100),
      null,
      undefined,
      '999',
      '10000000000000',
    ]);
  const topicData = (compression: number) =>
    Array.from({ length: faker.number.int({ min: 1, max: 3 }) }, () => ({
      topic: faker.helpers.slugify(faker.lorem.words(2)),
      partitions: Array.from({ length: faker.number.int({ min: 1, max: 4 }) }, (_, partition) => ({
        partition,
        firstSequence: faker.number.int(1_000),
        messages: Array.from({ length: faker.number.int({ min: 1, max: compression === 0 ? 60 : 20 }) }, () => ({
          key: bytes(),
          value: bytes(),
          headers: headers(),
          timestamp: timestamp(),
        })),
      })),
    }));

  it.each(['None', 'GZIP', 'Snappy'])('encodes what kafkajs encodes, compression %s, 40 requests', async (name) => {
    const compression = kafkajs.CompressionTypes[name]!;
    for (let i = 0; i < 40; i++) {
      const options = faker.datatype.boolean()
        ? { acks: -1, timeout: 30_000, compression, topicData: topicData(compression) }
        : {
            acks: 1,
            timeout: 5_000,
            compression,
            topicData: topicData(compression),
            transactionalId: 'tx-1',
            producerId: Long.fromValue(4_242),
            producerEpoch: 3,
          };
      const [ours, theirs] = [fastRequest(options), kafkajsRequest(options)];
      expect({ ...ours, encode: undefined, expectResponse: ours.expectResponse() }).toEqual({
        ...theirs,
        encode: undefined,
        expectResponse: theirs.expectResponse(),
      });
      expect((await ours.encode()).buffer.toString('hex')).toBe((await theirs.encode()).buffer.toString('hex'));
    }
  });
});

describe('grouping by partition', () => {
  const kafkajsGroup = originalKafkajsModule<typeof groupMessagesPerPartition>(
    'kafkajs/src/producer/groupMessagesPerPartition.js',
  );

  it('groups as kafkajs does, in the same key order', () => {
    for (let i = 0; i < 200; i++) {
      const partitionMetadata = Array.from({ length: faker.number.int({ min: 0, max: 6 }) }, (_, p) => ({
        partitionId: p,
      }));
      const messages = Array.from({ length: faker.number.int(300) }, (_, n) => ({ key: String(n) }));
      const partitioner = ({ message }: { message: { key: string } }) =>
        Number(message.key) % Math.max(1, partitionMetadata.length);
      const args = { topic: 't', partitionMetadata, messages, partitioner };
      const ours = groupMessagesPerPartition(args);
      const theirs = kafkajsGroup(args);
      expect(ours).toEqual(theirs);
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    }
  });
});

describe('the drop-ins are in place', () => {
  /** Harness files that import a value (not only types) from kafkajs. */
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      return entry.isDirectory() ? sources(file) : entry.name.endsWith('.ts') ? [file] : [];
    });

  it("only clients/kafkajs.ts loads kafkajs code, and it loads the harness's own copy (a user's kafkajs stays as shipped)", () => {
    const loaders = sources(path.join(root, 'harness')).filter((file) =>
      /^import (?!type )[^;]*from 'kafkajs(\/[^']*)?';$|require\('kafkajs[/']|import\('kafkajs[/'](?!\)\.)/m.test(
        readFileSync(file, 'utf8'),
      ),
    );
    // The one exception: the throughput benchmark measures stock kafkajs (node_modules/kafkajs as published) beside the copy.
    expect(loaders.map((file) => path.relative(root, file))).toEqual(['harness/bench/throughput.bench.ts']);
    expect(readFileSync(path.join(root, 'harness/clients/kafkajs.ts'), 'utf8')).toContain("'./vendor/kafkajs.cjs'");
  });

  it("the copy's record module calls the drop-in (an Encoder holding exactly the record)", () => {
    const encoder = kafkajsInternals.Record({ key: 'k', value: 'v', headers: { a: 'b' } }) as {
      buf: Buffer;
      size(): number;
    };
    expect(encoder.buf.length).toBe(encoder.size());
    expect(encoder.buf.toString('hex')).toBe(
      kafkajsRecord({ key: 'k', value: 'v', headers: { a: 'b' } }).buffer.toString('hex'),
    );
  });

  const script =
    "await import('./harness/index.ts'); const { fastPaths } = await import('./harness/clients/kafkajs.ts'); console.log(JSON.stringify(fastPaths));";
  const importHarness = (fastPathsSwitch?: string) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, GAMELAN_KAFKAJS_FAST_PATHS: fastPathsSwitch },
    });

  it('a process that imports the harness has all three in place', async () => {
    expect(JSON.parse((await importHarness()).stdout)).toEqual({ record: true, produceRequest: true, group: true });
  }, 30_000); // a Node process that compiles the harness's sources

  it("GAMELAN_KAFKAJS_FAST_PATHS=off keeps kafkajs's own modules; another value is refused, naming it", async () => {
    expect(JSON.parse((await importHarness('off')).stdout)).toEqual({
      record: false,
      produceRequest: false,
      group: false,
    });
    const refused = await importHarness('fast').catch((error: unknown) => error as { stderr: string });
    expect((refused as { stderr: string }).stderr).toContain(
      'GAMELAN_KAFKAJS_FAST_PATHS="fast" is not allowed: use on (the default) or off.',
    );
  }, 30_000);
});
