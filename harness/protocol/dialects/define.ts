import { z } from 'zod';
import { ProtocolError } from '../../errors.js';
import type { MessageForRole } from '../registry.js';
import { HEADERS, headersToText, keyToText, type RawRecord } from '../serdes.js';
import { applyAliases, describeValue, formatPath, reasonFor, withNulls } from '../validate.js';
import type { DialectName } from '../../vocabulary.js';
import type {
  DeadLetterInput,
  Deviation,
  DeviationRule,
  Dialect,
  DialectEncoded,
  DialectMessage,
  DialectReadResult,
  MappingContext,
  MappingNote,
  MessageRole,
} from './types.js';
import type { EncodeOptions } from '../serdes.js';

// What every dialect does the same way: bytes → JSON → (names) → schema → key, collecting every deviation,
// then the dialect's own mapping to the canonical (README) messages; and the way back for writing.

type Mapped<T> = { readonly mapped: MappingNote[] } & T;

/** What a dialect defines; `defineDialect` turns it into a `Dialect`. */
export interface DialectDefinition {
  readonly name: DialectName;
  readonly title: string;
  readonly topics: Dialect['topics'];
  readonly messages: Dialect['messages'];
  readonly resultStatuses: readonly string[];
  readonly successStatus: string;
  readonly failureStatus: string;
  readonly runStatuses: readonly string[] | undefined;
  readonly eventTypes: readonly string[] | undefined;
  readonly tokenField: Dialect['tokenField'];
  /** Key deviations stop reading (spec: a wrong key is a poison record) or are only reported (upstream: Java ignores keys). */
  readonly keyDeviationsStopReading: boolean;
  /** Validated wire value (output side of the schema) → canonical message. */
  readonly toCanonical: {
    readonly [R in MessageRole]: (
      wire: Record<string, unknown>,
      context: MappingContext,
    ) => Mapped<{ message: MessageForRole<R> }>;
  };
  /** Canonical message → wire value (output side of the schema, before encoding). Throws ProtocolError when it cannot be said. */
  readonly fromCanonical: {
    readonly [R in MessageRole]: (message: MessageForRole<R>) => Mapped<{ wire: Record<string, unknown> }>;
  };
  readonly encodeRecord: Dialect['encode'];
  readonly readDeadLetter: (record: DeadLetterInput) => DialectReadResult<'dlq'>;
  readonly deadLetter: Dialect['deadLetter'];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The value of a record as JSON, or why it is not. */
export function parseValue(
  value: RawRecord['value'],
  messageName: string,
): { ok: true; json: unknown } | { ok: false; deviation: Deviation } {
  const fail = (message: string) => ({
    ok: false as const,
    deviation: { rule: 'value.not-json' as const, field: 'value', message },
  });
  if (value === null || value === undefined)
    return fail(`record has no value (a tombstone); expected a UTF-8 JSON ${messageName}`);
  let text: string;
  try {
    text = typeof value === 'string' ? value : strictUtf8.decode(value);
  } catch {
    return fail(`value is not valid UTF-8; expected a UTF-8 JSON ${messageName}`);
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (cause) {
    return fail(`value is not JSON (${(cause as Error).message}); expected a JSON ${messageName}`);
  }
}

function ruleFor(issue: z.core.$ZodIssue): DeviationRule {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
    case 'invalid_union':
      return input === undefined || input === null ? 'field.required' : 'field.type';
    case 'invalid_value':
      return 'field.enum';
    case 'too_small':
    case 'too_big':
      return 'field.range';
    default:
      return issue.path.at(-1) === 'taskId' ? 'field.task-id' : 'field.format';
  }
}

/** The size deviation of a value over a message's limit, or undefined. */
export function sizeDeviation(message: DialectMessage, value: RawRecord['value']): Deviation | undefined {
  const limit = message.maxValueBytes;
  if (limit === undefined || value === null || value === undefined) return undefined;
  const bytes = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
  if (bytes <= limit.bytes) return undefined;
  return {
    rule: 'value.too-large',
    field: 'value',
    message: `value is ${bytes} bytes; a ${message.name} may be at most ${limit.bytes} bytes (${limit.by} refuses a larger one)`,
  };
}

/** Every schema issue of a JSON object, as deviations with wire paths; and the decoded value when there are none. */
export function schemaDeviations(
  schema: z.ZodType,
  json: Record<string, unknown>,
  aliases: Readonly<Record<string, string>>,
): { deviations: Deviation[]; decoded?: Record<string, unknown>; aliasesUsed: Map<string, string> } {
  const { renamed, wireNameOf } = applyAliases(aliases, json);
  const result = z.safeDecode(schema, renamed, { reportInput: true });
  if (result.success)
    return { deviations: [], decoded: result.data as Record<string, unknown>, aliasesUsed: wireNameOf };
  const deviations = result.error.issues.map((issue): Deviation => {
    const [first, ...rest] = issue.path;
    const wirePath =
      typeof first === 'string' && wireNameOf.has(first) ? [wireNameOf.get(first)!, ...rest] : issue.path;
    const field = formatPath(wirePath);
    return { rule: ruleFor(issue), field, message: `${field}: ${reasonFor(issue)}` };
  });
  return { deviations, aliasesUsed: wireNameOf };
}

/** Write a wire value with a dialect's schema: instants normalised, absent optional fields as null (Jackson's default). */
export function encodeWire(
  schema: z.ZodType,
  name: string,
  wire: Record<string, unknown>,
  keptFields: readonly string[] = [],
): Record<string, unknown> {
  const result = z.safeEncode(schema, wire, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ProtocolError('MESSAGE_INVALID', `${name} at ${formatPath(issue.path)}: ${reasonFor(issue)}`, {
      path: formatPath(issue.path),
      value: (issue as { input?: unknown }).input,
    });
  }
  const written = withNulls(schema, result.data) as Record<string, unknown>;
  for (const field of keptFields) if (written[field] === null) delete written[field];
  return written;
}

function keyDeviations(
  message: DialectMessage,
  role: MessageRole,
  wire: Record<string, unknown>,
  key: string | null,
): Deviation[] {
  if (message.key.kind !== 'field') return [];
  const field = message.key.field;
  const expected = wire[field];
  if (key === null) {
    return [
      {
        rule: 'key.missing',
        field: 'key',
        message: `record has no key; records on the ${role} topic are keyed by ${field}${typeof expected === 'string' ? ` ("${expected}")` : ''}`,
      },
    ];
  }
  if (typeof expected === 'string' && key !== expected) {
    return [
      {
        rule: 'key.mismatch',
        field: 'key',
        message: `record key ${JSON.stringify(key)} does not match ${field} ${JSON.stringify(expected)}`,
      },
    ];
  }
  return [];
}

const recordTimestamp = (timestamp: string | number | undefined): number | undefined => {
  if (timestamp === undefined) return undefined;
  const n = Number(timestamp);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

export function defineDialect(definition: DialectDefinition): Dialect {
  const examine = (role: MessageRole, record: RawRecord) => {
    const message = definition.messages[role];
    const tooLarge = sizeDeviation(message, record.value);
    if (tooLarge) return { fatal: [tooLarge], soft: [] as Deviation[] };
    const parsed = parseValue(record.value, message.name);
    if (!parsed.ok) return { fatal: [parsed.deviation], soft: [] as Deviation[] };
    const json = parsed.json;
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      return {
        fatal: [
          {
            rule: 'value.not-object' as const,
            field: '$',
            message: `$: expected an object, got ${describeValue(json)}`,
          },
        ],
        soft: [],
      };
    }
    const headers = headersToText(record.headers);
    const fatal: Deviation[] = [];
    const soft: Deviation[] = [];
    const declared = headers[HEADERS.messageType];
    if (declared !== undefined && declared !== message.name) {
      fatal.push({
        rule: 'header.message-type',
        field: HEADERS.messageType,
        message: `header ${HEADERS.messageType} is "${declared}" but the ${role} topic carries ${message.name}`,
      });
    }
    const checked = schemaDeviations(message.schema, json as Record<string, unknown>, message.aliases);
    fatal.push(...checked.deviations);
    for (const [canonical, alias] of checked.aliasesUsed) {
      soft.push({
        rule: 'field.name',
        field: `$.${alias}`,
        message: `$.${alias} is the ${definition.name === 'spec' ? 'upstream Java' : "other dialect's"} name; ${definition.title} writes "${canonical}"`,
      });
    }
    if (checked.decoded !== undefined && message.conventions) soft.push(...message.conventions(checked.decoded));
    const key = keyToText(record.key);
    const keyed = keyDeviations(message, role, json as Record<string, unknown>, key);
    (definition.keyDeviationsStopReading ? fatal : soft).push(...keyed);
    return { fatal, soft, decoded: checked.decoded, aliasesUsed: checked.aliasesUsed, key, headers };
  };

  const dialect: Dialect = {
    name: definition.name,
    title: definition.title,
    topics: definition.topics,
    messages: definition.messages,
    resultStatuses: definition.resultStatuses,
    successStatus: definition.successStatus,
    failureStatus: definition.failureStatus,
    runStatuses: definition.runStatuses,
    eventTypes: definition.eventTypes,
    tokenField: definition.tokenField,
    check(role, record) {
      const { fatal, soft } = examine(role, record);
      return [...fatal, ...soft];
    },
    read<R extends MessageRole>(
      role: R,
      record: RawRecord & { readonly timestamp?: string | number | undefined },
    ): DialectReadResult<R> {
      const examined = examine(role, record);
      if (examined.fatal.length > 0 || examined.decoded === undefined) {
        return {
          ok: false,
          dialect: definition.name,
          reasons: { [definition.name]: [...examined.fatal, ...examined.soft] },
        };
      }
      const { message, mapped } = definition.toCanonical[role](examined.decoded, {
        timestamp: recordTimestamp(record.timestamp),
      });
      const aliasNotes: MappingNote[] = [...examined.aliasesUsed].map(([canonical, alias]) => ({
        field: alias,
        to: canonical,
        note: `read "${alias}" as "${canonical}"`,
        lossy: false,
      }));
      return {
        ok: true,
        record: {
          dialect: definition.name,
          message: message as MessageForRole<R>,
          wire: examined.decoded,
          key: examined.key ?? null,
          headers: examined.headers ?? {},
          mapped: [...aliasNotes, ...mapped],
          deviations: examined.soft,
        },
      };
    },
    encode<R extends MessageRole>(role: R, message: MessageForRole<R>, options?: EncodeOptions): DialectEncoded {
      return definition.encodeRecord(role, message, options);
    },
    toWire(role, message) {
      const { wire, mapped } = definition.fromCanonical[role](message as never);
      const m = definition.messages[role];
      return { wire: encodeWire(m.schema, m.name, wire, m.keptFields), mapped };
    },
    fromWire(role, wire, context = {}) {
      const m = definition.messages[role];
      const checked = schemaDeviations(m.schema, wire, m.aliases);
      if (!checked.decoded) {
        const [first] = checked.deviations;
        throw new ProtocolError(
          'MESSAGE_INVALID',
          `${m.name} (${definition.name}) ${first?.message ?? 'is not valid'}`,
          { path: first?.field },
        );
      }
      const { message, mapped } = definition.toCanonical[role](checked.decoded, context);
      return { message: message as never, mapped };
    },
    readDeadLetter: definition.readDeadLetter,
    deadLetter: definition.deadLetter,
  };
  return dialect;
}
