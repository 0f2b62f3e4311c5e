// kafkajs encodes each produced record with six Encoder objects (the record and one per header), each starting
// on a zero-filled 512-byte buffer, and every varint through a temporary array and Buffer.from: garbage on
// every produced record, on the engine's busiest path (figures: CHANGELOG.md, "Performance history").
// This encoder writes the same bytes (record format v2: length, attributes, timestamp delta, offset delta, key,
// value, headers; see kafkajs/src/protocol/recordBatch/record/v0) into one buffer of the exact size. It declines
// whatever is not plain (a key, value or header that is not a string or Buffer, a delta outside the int32 range)
// to kafkajs's own encoder, so odd input behaves (and fails) exactly as before. test/unit/clients proves the
// bytes equal kafkajs's on generated records. Installed by kafkajs-fast-paths.ts.

/** What kafkajs's produce request hands its record encoder. */
export interface RecordFields {
  readonly offsetDelta?: number;
  readonly timestampDelta?: number;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly headers?: unknown;
}

interface EncoderLike {
  buf: Buffer;
  offset: number;
}

type EncodeRecord = (fields: RecordFields) => EncoderLike;

const INT32_MAX = 2 ** 31 - 1;

/** Bytes of a zigzag varint (Kafka's varint) of an integer in [-2^31, 2^31). */
function sizeOfVarInt(value: number): number {
  let unsigned = value >= 0 ? value * 2 : -value * 2 - 1;
  let bytes = 1;
  while (unsigned >= 0x80) {
    unsigned = Math.floor(unsigned / 0x80);
    bytes++;
  }
  return bytes;
}

function writeVarInt(buffer: Buffer, offset: number, value: number): number {
  let unsigned = value >= 0 ? value * 2 : -value * 2 - 1;
  while (unsigned >= 0x80) {
    buffer[offset++] = (unsigned % 0x80) | 0x80;
    unsigned = Math.floor(unsigned / 0x80);
  }
  buffer[offset++] = unsigned;
  return offset;
}

/** A key, value or header value this encoder writes: its bytes, or null (written as length -1). */
type Bytes = Buffer | string | null;
const isBytes = (value: unknown): value is Bytes | undefined =>
  value == null || typeof value === 'string' || Buffer.isBuffer(value);
const byteLength = (value: Bytes): number =>
  value === null ? -1 : typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
const sizeOfBytes = (length: number): number => sizeOfVarInt(length) + Math.max(0, length);

function writeBytes(buffer: Buffer, offset: number, value: Bytes, length: number): number {
  offset = writeVarInt(buffer, offset, length);
  if (value === null) return offset;
  if (typeof value === 'string') return offset + buffer.write(value, offset, length, 'utf8');
  value.copy(buffer, offset);
  return offset + length;
}

const isInt32 = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= -INT32_MAX - 1 && value <= INT32_MAX;

/**
 * The record's bytes as kafkajs would write them, or undefined when the record is not plain (kafkajs's encoder
 * then takes it). A header whose value is an array is several headers of that name, as in kafkajs.
 */
export function encodeRecordBytes({
  offsetDelta = 0,
  timestampDelta = 0,
  key,
  value,
  headers = {},
}: RecordFields): Buffer | undefined {
  if (!isInt32(offsetDelta) || !isInt32(timestampDelta) || !isBytes(key) || !isBytes(value)) return undefined;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return undefined;
  const headerNames: string[] = [];
  const headerValues: (Buffer | string)[] = [];
  for (const name of Object.keys(headers)) {
    const given = (headers as Record<string, unknown>)[name];
    for (const one of Array.isArray(given) ? (given as unknown[]) : [given]) {
      // kafkajs measures a null or missing header value with Buffer.byteLength, which throws: let it.
      if (typeof one !== 'string' && !Buffer.isBuffer(one)) return undefined;
      headerNames.push(name);
      headerValues.push(one);
    }
  }
  const keyBytes = key ?? null;
  const valueBytes = value ?? null;
  const keyLength = byteLength(keyBytes);
  const valueLength = byteLength(valueBytes);
  const nameLengths = headerNames.map((name) => Buffer.byteLength(name, 'utf8'));
  const valueLengths = headerValues.map(byteLength);
  let body =
    1 +
    sizeOfVarInt(timestampDelta) +
    sizeOfVarInt(offsetDelta) +
    sizeOfBytes(keyLength) +
    sizeOfBytes(valueLength) +
    sizeOfVarInt(headerNames.length);
  for (let i = 0; i < headerNames.length; i++) body += sizeOfBytes(nameLengths[i]!) + sizeOfBytes(valueLengths[i]!);
  const buffer = Buffer.allocUnsafe(sizeOfVarInt(body) + body);
  let offset = writeVarInt(buffer, 0, body);
  buffer[offset++] = 0; // attributes: none used
  offset = writeVarInt(buffer, offset, timestampDelta); // a varlong: the same bytes for an int32
  offset = writeVarInt(buffer, offset, offsetDelta);
  offset = writeBytes(buffer, offset, keyBytes, keyLength);
  offset = writeBytes(buffer, offset, valueBytes, valueLength);
  offset = writeVarInt(buffer, offset, headerNames.length);
  for (let i = 0; i < headerNames.length; i++) {
    offset = writeBytes(buffer, offset, headerNames[i]!, nameLengths[i]!);
    offset = writeBytes(buffer, offset, headerValues[i]!, valueLengths[i]!);
  }
  return buffer;
}

/** kafkajs's record encoder, with this one in front of it: an Encoder holding exactly the record's bytes. */
export function fastRecordEncoder(original: EncodeRecord, Encoder: { prototype: object }): EncodeRecord {
  return (fields) => {
    const bytes = encodeRecordBytes(fields);
    if (bytes === undefined) return original(fields);
    const encoder = Object.create(Encoder.prototype) as EncoderLike;
    encoder.buf = bytes;
    encoder.offset = bytes.length;
    return encoder;
  };
}
