import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { gamelanKafkaSchema } from './schema.js';

// Flat dotted keys (`gamelan.kafka.consumer.max-poll-records`) derived from the schema.

export const GAMELAN_PREFIX = 'gamelan.kafka.';

export const camelToKebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
export const kebabToCamel = (s: string): string => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Spellings the spec uses that differ from the schema's own (spec: `consumer.fetch.min.bytes=1`). */
export const KEY_ALIASES: Readonly<Record<string, string>> = {
  'consumer.fetch.min.bytes': 'consumer.fetch-min-bytes',
};

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  // default/prefault/optional wrap the object or leaf we want to look into.
  while (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

function collectKeys(schema: z.ZodType, prefix: string, into: string[]): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    for (const [name, child] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      collectKeys(child, `${prefix}${camelToKebab(name)}.`, into);
    }
  } else {
    into.push(prefix.slice(0, -1));
  }
  return into;
}

/** Every known key below `gamelan.kafka.`, kebab-case, e.g. `consumer.max-poll-records`. */
export const KNOWN_KEYS: readonly string[] = Object.freeze(collectKeys(gamelanKafkaSchema, '', []));

/** The closest known key, if it is close enough to be a plausible typo. */
export function suggestKey(unknownKey: string): string | undefined {
  const best = closest(unknownKey, [...KNOWN_KEYS]);
  return distance(unknownKey, best) <= Math.max(3, Math.floor(best.length / 3)) ? best : undefined;
}
