import type { TopicRole } from '../config/index.js';
import { ConfigError, ProtocolError } from '../errors.js';
import { roleForName } from '../protocol/roles.js';
import { decodeMessage, encodeMessage, type MessageForRole, ROLE_MESSAGE_TYPES } from '../protocol/index.js';

// What `produce` sends, read and validated before anything connects: bad input exits 2 naming the
// source (--value, --file, stdin, line), the field and what is allowed.

/** A topic role (`tasks`) or the message type it carries (`TaskMessage`), case-insensitive. */
export const roleFor = roleForName;

/** One JSON value (an object, or an array of them) or JSON lines; each element is one message. */
export function parseJsonInput(text: string, source: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new ConfigError('CONFIG_INVALID_VALUE', `${source} is empty: give a JSON object, an array of objects, or JSON lines.`, { key: source });
  try {
    const value = JSON.parse(trimmed) as unknown;
    return Array.isArray(value) ? value : [value];
  } catch (wholeError) {
    const lines = trimmed.split('\n');
    if (lines.length === 1) {
      throw new ConfigError('CONFIG_PARSE_FAILED', `${source} is not JSON (${(wholeError as Error).message}): give a JSON object, an array of objects, or JSON lines.`, {
        key: source,
        value: trimmed.slice(0, 200),
      });
    }
    return lines.flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (error) {
        throw new ConfigError('CONFIG_PARSE_FAILED', `${source} line ${i + 1} is not JSON (${(error as Error).message}): each line of JSON lines is one message object.`, {
          key: `${source}:${i + 1}`,
          value: line.slice(0, 200),
        });
      }
    });
  }
}

/** `name=value` pairs of --header (repeatable). */
export function parseHeaders(pairs: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new ConfigError('CONFIG_INVALID_VALUE', `--header ${JSON.stringify(pair)} is not allowed: write name=value, e.g. --header x-origin=cli.`, { key: 'header', value: pair });
    headers[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return headers;
}

/** Validate wire JSON (the protocol's field names, Java aliases accepted) into messages of the role. */
export function validateMessages<R extends TopicRole>(role: R, values: readonly unknown[], source: string): MessageForRole<R>[] {
  const type = ROLE_MESSAGE_TYPES[role];
  return values.map((value, i) => {
    const decoded = decodeMessage(type, value);
    if (decoded.ok) return decoded.message as MessageForRole<R>;
    const where = values.length > 1 ? `${source} message ${i + 1}` : source;
    throw invalid(where, decoded.failure.error);
  });
}

/** Check a built message the way the protocol writes it (a builder with bad overrides fails here). */
export function checkBuilt<R extends TopicRole>(role: R, message: MessageForRole<R>, source: string): MessageForRole<R> {
  try {
    encodeMessage(ROLE_MESSAGE_TYPES[role], message);
    return message;
  } catch (error) {
    if (error instanceof ProtocolError) throw invalid(source, error);
    throw error;
  }
}

function invalid(source: string, error: ProtocolError): ConfigError {
  const path = error.details.path ?? '$';
  return new ConfigError('CONFIG_INVALID_VALUE', `${source}: ${error.message}`, { key: path, value: error.details.value }, { cause: error });
}
