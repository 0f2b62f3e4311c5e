import { TOPIC_ROLES, type TopicRole } from '../../vocabulary.js';
import { deadLetterRecord, readDeadLetterRecord } from '../dead-letter.js';
import { EXECUTION_STATUSES } from '../messages/execution-status.js';
import { MESSAGE_DEFINITIONS, type MessageForRole, ROLE_MESSAGE_TYPES } from '../registry.js';
import { encodeRecord, headersToText, keyToText } from '../serdes.js';
import { defineDialect } from './define.js';
import { DIALECT_TOPIC_DEFAULTS } from '../../vocabulary.js';
import type { DialectMessage, KeyRule, MessageRole } from './types.js';

// The README's protocol, as the harness has always spoken it: the message definitions of harness/protocol/messages,
// keys by runId (status by tenantId), Spring kafka_dlt-* dead letters. Upstream Java names are read (and reported
// as deviations by `check`), never written.

const keyRule = (role: TopicRole): KeyRule => {
  const field = MESSAGE_DEFINITIONS[ROLE_MESSAGE_TYPES[role]].keyField;
  return field === 'originalKey' ? { kind: 'original' } : { kind: 'field', field };
};

const messages = Object.fromEntries(
  TOPIC_ROLES.map((role) => {
    const definition = MESSAGE_DEFINITIONS[ROLE_MESSAGE_TYPES[role]];
    const message: DialectMessage = {
      name: definition.type,
      schema: definition.schema,
      aliases: definition.aliases,
      key: keyRule(role),
      ...(definition.keptFields ? { keptFields: definition.keptFields } : {}),
    };
    return [role, message];
  }),
) as Record<TopicRole, DialectMessage>;

const identity =
  <R extends MessageRole>() =>
  (wire: Record<string, unknown>) => ({ message: wire as unknown as MessageForRole<R>, mapped: [] });
const same =
  <R extends MessageRole>() =>
  (message: MessageForRole<R>) => ({ wire: message as unknown as Record<string, unknown>, mapped: [] });

export const specDialect = defineDialect({
  name: 'spec',
  title: 'the protocol README',
  topics: DIALECT_TOPIC_DEFAULTS.spec,
  messages,
  resultStatuses: EXECUTION_STATUSES,
  successStatus: 'SUCCESS',
  failureStatus: 'FAILURE',
  runStatuses: undefined,
  eventTypes: undefined,
  tokenField: 'token',
  keyDeviationsStopReading: true,
  toCanonical: {
    tasks: identity<'tasks'>(),
    results: identity<'results'>(),
    events: identity<'events'>(),
    status: identity<'status'>(),
  },
  fromCanonical: {
    tasks: same<'tasks'>(),
    results: same<'results'>(),
    events: same<'events'>(),
    status: same<'status'>(),
  },
  encodeRecord: (role, message, options) => ({ record: encodeRecord(role, message, options), mapped: [] }),
  deadLetter: (failed, cause) => deadLetterRecord(failed, cause),
  readDeadLetter: (record) => {
    const letter = readDeadLetterRecord({ topic: '', partition: 0, offset: 0, timestamp: Date.now(), ...record });
    if (!letter.ok) {
      const field = letter.failure.path ?? 'value';
      const reason = letter.failure.reason;
      const rule =
        letter.failure.code === 'MESSAGE_DECODE_FAILED'
          ? 'value.not-json'
          : reason === 'is required'
            ? 'field.required'
            : reason.startsWith('must be one of')
              ? 'field.enum'
              : reason.startsWith('expected an object')
                ? 'value.not-object'
                : reason.startsWith('expected ')
                  ? 'field.type'
                  : 'field.format';
      return {
        ok: false,
        dialect: 'spec',
        reasons: { spec: [{ rule, field, message: `${field}: ${letter.failure.reason}` }] },
      };
    }
    return {
      ok: true,
      record: {
        dialect: 'spec',
        message: letter.message,
        wire: letter.message,
        key: keyToText(record.key),
        headers: headersToText(record.headers),
        mapped: [],
        deviations: [],
      },
    };
  },
});
