import type { TopicRole } from '../vocabulary.js';
import { ConfigError, ProtocolError } from '../errors.js';
import { roleForName } from '../vocabulary.js';
import {
  decodeMessage,
  encodeMessage,
  type MessageForRole,
  messageDefinition,
  ROLE_MESSAGE_TYPES,
} from '../protocol/index.js';
import { DLT_HEADERS } from '../protocol/dead-letter.js';
import { HEADERS } from '../protocol/serdes.js';
import { parseTraceparent } from '../protocol/trace.js';
import { applyAliases } from '../protocol/validate.js';

// What `produce` sends, read and validated before anything connects: bad input exits 2 naming the
// source (--value, --file, stdin, line), the field and what is allowed.

/** A topic role (`tasks`) or the message type it carries (`TaskMessage`), case-insensitive. */
export const roleFor = roleForName;

/** One JSON value (an object, or an array of them) or JSON lines; each element is one message. */
export function parseJsonInput(text: string, source: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${source} is empty: give a JSON object, an array of objects, or JSON lines.`,
      { key: source },
    );
  try {
    const value = JSON.parse(trimmed) as unknown;
    return Array.isArray(value) ? value : [value];
  } catch (wholeError) {
    const lines = trimmed.split('\n');
    if (lines.length === 1) {
      throw new ConfigError(
        'CONFIG_PARSE_FAILED',
        `${source} is not JSON (${(wholeError as Error).message}): give a JSON object, an array of objects, or JSON lines.`,
        {
          key: source,
          value: trimmed.slice(0, 200),
        },
      );
    }
    return lines.flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw new ConfigError(
          'CONFIG_PARSE_FAILED',
          `${source} line ${i + 1} is not JSON (${(error as Error).message}): each line of JSON lines is one message object.`,
          {
            key: `${source}:${i + 1}`,
            value: line.slice(0, 200),
          },
        );
      }
    });
  }
}

/** Headers the protocol writes itself: a --header of the same name would be dropped, so it is refused. */
const RESERVED_HEADERS: readonly string[] = [...Object.values(HEADERS), ...Object.values(DLT_HEADERS)];

/** `name=value` pairs of --header (repeatable); a protocol header, or a name given twice, is refused (never dropped). */
export function parseHeaders(pairs: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0)
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `--header ${JSON.stringify(pair)} is not allowed: write name=value, e.g. --header x-origin=cli.`,
        { key: 'header', value: pair },
      );
    const name = pair.slice(0, at);
    if (RESERVED_HEADERS.includes(name.toLowerCase()) || name.toLowerCase().startsWith('kafka_dlt-')) {
      const hint = name.toLowerCase() === HEADERS.traceparent ? ' (give --traceparent for the trace)' : '';
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `--header ${JSON.stringify(name)} is not allowed: the protocol writes that header itself${hint}; reserved: ${RESERVED_HEADERS.join(', ')}.`,
        { key: 'header', value: pair },
      );
    }
    if (Object.hasOwn(headers, name))
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `--header ${JSON.stringify(name)} is given twice: give each header once.`,
        { key: 'header', value: pair },
      );
    headers[name] = pair.slice(at + 1);
  }
  return headers;
}

/** A --traceparent that is a valid W3C traceparent, else CONFIG_INVALID_VALUE (it would be replaced by a new one). */
export function checkTraceparent(value: string | undefined): void {
  if (value === undefined || parseTraceparent(value)) return;
  throw new ConfigError(
    'CONFIG_INVALID_VALUE',
    `--traceparent ${JSON.stringify(value)} is not a W3C traceparent: write 00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>, ids not all zero, e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01; or leave it out for a new trace.`,
    { key: '--traceparent', value },
  );
}

/** Keys JSON.parse keeps as own properties that a JavaScript object would take as its prototype or constructor. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function forbiddenKeyPath(value: unknown, at: string): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = forbiddenKeyPath(value[i], `${at}[${i}]`);
      if (found) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `${at}.${key}`;
      const found = forbiddenKeyPath((value as Record<string, unknown>)[key], `${at}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Paths of fields in `input` the written message no longer has (dropped), and of fields it gained (added). */
function compareFields(
  input: unknown,
  written: unknown,
  at: string,
  out: { dropped: string[]; added: string[] },
): void {
  if (Array.isArray(input) && Array.isArray(written) && input.length === written.length) {
    input.forEach((v, i) => compareFields(v, written[i], `${at}[${i}]`, out));
    return;
  }
  if (!isPlainObject(input) || !isPlainObject(written)) return;
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(written, key)) out.dropped.push(`${at}.${key}`);
    else compareFields(input[key], written[key], `${at}.${key}`, out);
  }
  for (const key of Object.keys(written)) if (!Object.hasOwn(input, key)) out.added.push(`${at}.${key}`);
}

/**
 * Validate wire JSON (the protocol's field names, Java aliases accepted) into messages of the role. Nothing is
 * changed silently: a `__proto__`/`constructor` key, a field the protocol does not know (it would be dropped), or a
 * Java alias given beside its canonical name is refused naming the field; fields the protocol adds (a `null` it
 * writes out) are told to `onAdded`.
 */
export function validateMessages<R extends TopicRole>(
  role: R,
  values: readonly unknown[],
  source: string,
  onAdded?: (where: string, fields: readonly string[]) => void,
): MessageForRole<R>[] {
  const type = ROLE_MESSAGE_TYPES[role];
  const { aliases } = messageDefinition(type);
  return values.map((value, i) => {
    const where = values.length > 1 ? `${source} message ${i + 1}` : source;
    const forbidden = forbiddenKeyPath(value, '$');
    if (forbidden) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `${where}: the key ${forbidden} is not allowed (__proto__, constructor and prototype are never message fields).`,
        { key: forbidden, value: forbidden.split('.').at(-1) },
      );
    }
    const decoded = decodeMessage(type, value);
    if (!decoded.ok) throw invalid(where, decoded.failure.error);
    const message = decoded.message as MessageForRole<R>;
    const input = value as Record<string, unknown>;
    for (const [alias, canonical] of Object.entries(aliases)) {
      if (Object.hasOwn(input, alias) && Object.hasOwn(input, canonical)) {
        throw new ConfigError(
          'CONFIG_INVALID_VALUE',
          `${where}: "${alias}" and "${canonical}" are the same field (${alias} is the Java name); give one of them.`,
          { key: `$.${alias}`, value: input[alias] },
        );
      }
    }
    const { renamed } = applyAliases(aliases, input);
    const fields = { dropped: [] as string[], added: [] as string[] };
    compareFields(renamed, encodeMessage(type, message as never), '$', fields);
    if (fields.dropped.length) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `${where}: ${fields.dropped.join(', ')} ${fields.dropped.length > 1 ? 'are not fields' : 'is not a field'} of ${type}; it would be dropped from what is sent. Remove it, or check its spelling (schemas/json/${type}.schema.json lists the fields).`,
        { key: fields.dropped[0]!, value: fields.dropped },
      );
    }
    if (fields.added.length) onAdded?.(where, fields.added);
    return message;
  });
}

/** Check a built message the way the protocol writes it (a builder with bad overrides fails here). */
export function checkBuilt<R extends TopicRole>(
  role: R,
  message: MessageForRole<R>,
  source: string,
  overrides?: unknown,
): MessageForRole<R> {
  const type = ROLE_MESSAGE_TYPES[role];
  let written: Record<string, unknown>;
  try {
    written = encodeMessage(type, message);
  } catch (error) {
    if (error instanceof ProtocolError) throw invalid(source, error);
    throw error;
  }
  // An override the protocol does not write would be dropped without a word: refused like an unknown input field.
  if (overrides !== undefined) {
    const forbidden = forbiddenKeyPath(overrides, '$');
    if (forbidden)
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `${source}: the key ${forbidden} is not allowed (__proto__, constructor and prototype are never message fields).`,
        { key: forbidden },
      );
    const fields = { dropped: [] as string[], added: [] as string[] };
    compareFields(
      applyAliases(messageDefinition(type).aliases, overrides as Record<string, unknown>).renamed,
      written,
      '$',
      fields,
    );
    if (fields.dropped.length) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `${source}: ${fields.dropped.join(', ')} ${fields.dropped.length > 1 ? 'are not fields' : 'is not a field'} of ${type}; it would be dropped from what is sent. Remove it, or check its spelling (schemas/json/${type}.schema.json lists the fields).`,
        { key: fields.dropped[0]!, value: fields.dropped },
      );
    }
  }
  return message;
}

function invalid(source: string, error: ProtocolError): ConfigError {
  const path = error.details.path ?? '$';
  return new ConfigError(
    'CONFIG_INVALID_VALUE',
    `${source}: ${error.message}`,
    { key: path, value: error.details.value },
    { cause: error },
  );
}
