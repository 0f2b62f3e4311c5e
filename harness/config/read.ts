import { existsSync } from 'node:fs';
import { readTextFileBounded, stripBom } from './read-bounded.js';
import path from 'node:path';
import { parse as parseProperties } from 'dot-properties';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseBootstrapServers } from './bootstrap.js';
import { DIALECT_TOPIC_DEFAULTS, type DialectName } from '../vocabulary.js';
import { camelToKebab, GAMELAN_PREFIX, KEY_ALIASES, kebabToCamel, KNOWN_KEYS, suggestKey } from './keys.js';
import {
  channelSetting,
  type ConfigEntry,
  DEFAULT_PROFILE,
  type Environment,
  expandEntry,
  resolveProfile,
} from './quarkus.js';
import { type GamelanKafkaConfig, gamelanKafkaSchema } from './schema.js';
import { TOPIC_ROLES, type TopicRole } from '../vocabulary.js';

/** What a Gamelan `application.properties` / `application.yaml` says, validated. */
export interface ApplicationConfig {
  readonly gamelan: GamelanKafkaConfig;
  /**
   * Quarkus keys, when the file sets them: `kafka.bootstrap.servers`, `kafka.group.id`, and per topic role the
   * group of its incoming channel (`mp.messaging.incoming.<channel>.group.id`).
   */
  readonly kafka: {
    readonly bootstrapServers?: readonly string[];
    readonly groupId?: string;
    readonly groupIds?: Readonly<Partial<Record<TopicRole, string>>>;
  };
  /** Which key decided each topic name (`mp.messaging.incoming.workflow-tasks.topic`), or `default (spec)`. */
  readonly topicSources: Readonly<Record<TopicRole, string>>;
  /** The Quarkus profile whose `%<profile>.` keys applied. */
  readonly profile: string;
  /** The file it came from, or undefined for the spec's defaults. */
  readonly source: string | undefined;
}

/** How to read a file the way Quarkus would. */
export interface ReadConfigOptions {
  /** Profile whose `%<profile>.` keys apply; default `dev`, as Quarkus for local runs. */
  readonly profile?: string | undefined;
  /** Environment for `${VAR}` / `${VAR:default}`; default `process.env`. */
  readonly env?: Environment | undefined;
  /** Dialect whose topic names apply where no key names a topic; default `spec`. */
  readonly dialect?: DialectName | undefined;
}

type FlatEntries = ReadonlyArray<readonly [key: string, value: unknown, line?: number]>;

const DEFAULTS_SOURCE = '<spec defaults>';

/** Read a `.properties`, `.yaml` or `.yml` file; with no file, the defaults (of the dialect, spec by default). */
export function readConfig(file?: string, options: ReadConfigOptions = {}): ApplicationConfig {
  if (file === undefined) return fromFlatEntries([], undefined, options);
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) {
    throw new ConfigError(
      'CONFIG_FILE_NOT_FOUND',
      `Configuration file ${resolved} does not exist. Pass an application.properties or application.yaml ` +
        `(see docs/configuration.md, "Configuration reference"), or omit --config to use the spec's defaults.`,
      { file: resolved },
    );
  }
  const ext = path.extname(resolved).toLowerCase();
  if (ext !== '.properties' && ext !== '.yaml' && ext !== '.yml') {
    throw new ConfigError(
      'CONFIG_PARSE_FAILED',
      `${resolved}: unsupported configuration file type "${ext || '(none)'}"; allowed: .properties, .yaml, .yml.`,
      { file: resolved, value: ext },
    );
  }
  // Bounded, regular files only, BOM stripped: /dev/zero or a FIFO never hang the CLI.
  const text = readTextFileBounded(resolved, { what: `Configuration file ${resolved}` });
  if (ext === '.properties') return fromFlatEntries(flattenProperties(text, resolved), resolved, options);
  return fromFlatEntries(flattenYaml(text, resolved), resolved, options);
}

/** Parse configuration text directly (tests, stdin); `name` decides the format by extension. */
export function parseConfig(text: string, name: string, options: ReadConfigOptions = {}): ApplicationConfig {
  const ext = path.extname(name).toLowerCase();
  const entries = ext === '.properties' ? flattenProperties(stripBom(text), name) : flattenYaml(stripBom(text), name);
  return fromFlatEntries(entries, name, options);
}

function flattenProperties(text: string, file: string): FlatEntries {
  // dot-properties is lenient (a bare word becomes a key with an empty value); a Gamelan key
  // without a value or with a broken \u escape is a mistake worth a line number.
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) return;
    const badEscape = /\\u(?![0-9a-fA-F]{4})/.exec(line);
    if (badEscape) {
      throw new ConfigError(
        'CONFIG_PARSE_FAILED',
        `${file}:${index + 1}: malformed properties line "${line}": "\\u" must be followed by four hex digits.`,
        { file, value: line },
      );
    }
    if (line.startsWith(GAMELAN_PREFIX) && !/[=:\s]/.test(line)) {
      throw new ConfigError(
        'CONFIG_PARSE_FAILED',
        `${file}:${index + 1}: malformed properties line "${line}": expected "key=value".`,
        { file, key: line, value: line },
      );
    }
  });
  const lineOf = (key: string) => lines.findIndex((l) => l.trimStart().startsWith(key)) + 1 || undefined;
  return Object.entries(parseProperties(text)).map(([key, value]) => [key, value, lineOf(key)] as const);
}

// A YAML key Quarkus cannot read unquoted: `%dev:` is not YAML (a "%" starts a directive), `"%dev":` is.
const UNQUOTED_PROFILE_KEY = /^\s*(%[^\s:"']+)\s*:/m;

function flattenYaml(text: string, file: string): FlatEntries {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, lineCounter });
  const [firstError] = doc.errors;
  if (firstError) {
    const where = firstError.linePos?.[0];
    const profile = UNQUOTED_PROFILE_KEY.exec(text);
    const hint = profile
      ? ` A profile key must be quoted in YAML: write "${profile[1]}": instead of ${profile[1]}:.`
      : '';
    throw new ConfigError(
      'CONFIG_PARSE_FAILED',
      `${file}${where ? `:${where.line}:${where.col}` : ''}: malformed YAML: ${firstError.message.split('\n')[0]}${hint}`,
      { file, ...(profile ? { key: profile[1] } : {}) },
      { cause: firstError },
    );
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === undefined))) return [];
  if (!isMap(root)) {
    throw new ConfigError(
      'CONFIG_PARSE_FAILED',
      `${file}: the YAML document must be a mapping of keys, not ${JSON.stringify(doc.toJS())}.`,
      {
        file,
        value: doc.toJS(),
      },
    );
  }
  // As SmallRye Config's YAML source reads it: nested and dotted keys alike (`gamelan: {kafka: …}` or
  // `gamelan.kafka.partitions: 3`); `"%dev":` a profile; a `~` (null) key is the value of its parent key itself
  // (`cors: {~: true, methods: …}`); a sequence of scalars is one comma-separated value (commas in items escaped);
  // a sequence of mappings gives indexed keys (`key[0].name`); every scalar is read as its text.
  const out: Array<readonly [string, unknown, number | undefined]> = [];
  const lineOf = (node: { range?: [number, number, number] | null | undefined } | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  const resolve = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  const asText = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
  const walk = (raw: unknown, prefix: string, line: number | undefined) => {
    const node = resolve(raw);
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = resolve(pair.key);
        const keyValue = isScalar(keyNode) ? keyNode.value : keyNode;
        if (keyValue !== null && keyValue !== undefined && typeof keyValue === 'object') {
          throw new ConfigError(
            'CONFIG_PARSE_FAILED',
            `${file}${lineOf(keyNode as never) ? `:${lineOf(keyNode as never)}` : ''}: a YAML key must be text, not a ${isMap(keyValue) ? 'mapping' : 'sequence'}.`,
            { file, key: prefix },
          );
        }
        const segment = keyValue === null || keyValue === undefined ? '' : String(keyValue); // `~`: the parent key itself
        walk(
          pair.value,
          segment === '' ? prefix : prefix ? `${prefix}.${segment}` : segment,
          lineOf(keyNode as never) ?? line,
        );
      }
    } else if (isSeq(node)) {
      const items = node.items.map(resolve);
      if (items.every((item) => isScalar(item) || item === null)) {
        out.push([
          prefix,
          items.map((item) => asText(isScalar(item) ? item.value : null).replaceAll(',', '\\,')).join(','),
          line,
        ]);
      } else items.forEach((item, index) => walk(item, `${prefix}[${index}]`, lineOf(item as never) ?? line));
    } else {
      out.push([prefix, asText(isScalar(node) ? node.value : null), line]);
    }
  };
  walk(root, '', undefined);
  return out;
}

function fromFlatEntries(
  entries: FlatEntries,
  file: string | undefined,
  options: ReadConfigOptions,
): ApplicationConfig {
  const where = file ?? DEFAULTS_SOURCE;
  const profile = options.profile ?? DEFAULT_PROFILE;
  const env = options.env ?? process.env;
  const nested: Record<string, unknown> = {};
  const fileKeyOf = new Map<string, string>();
  let bootstrapServers: string[] | undefined;
  let groupId: string | undefined;
  let taskTopic: ConfigEntry | undefined;
  const channelTopics = new Map<TopicRole, ConfigEntry[]>();
  const groupIds: Partial<Record<TopicRole, string>> = {};
  const groupSources: Partial<Record<TopicRole, string>> = {};

  const resolved = resolveProfile(entries, profile);
  const lineOfFileKey = new Map([...resolved.values()].map((e) => [e.fileKey, e.line] as const));
  for (const raw of resolved.values()) {
    const { key: fullKey, line } = raw;
    if (fullKey === 'kafka.bootstrap.servers' || fullKey === 'kafka.group.id' || fullKey === 'kafka.task.topic') {
      const { value } = expandEntry(raw, env, where);
      if (typeof value !== 'string') continue;
      if (fullKey === 'kafka.bootstrap.servers')
        bootstrapServers = parseBootstrapServers(value, { key: raw.fileKey, file: where, line });
      else if (fullKey === 'kafka.group.id') groupId = value;
      else taskTopic = { ...raw, value };
      continue;
    }
    const channel = channelSetting(fullKey);
    if (channel) {
      const entry = expandEntry(raw, env, where);
      if (channel.setting === 'topic')
        channelTopics.set(channel.role, [...(channelTopics.get(channel.role) ?? []), entry]);
      else if (channel.direction === 'incoming' && typeof entry.value === 'string') {
        groupIds[channel.role] = entry.value;
        groupSources[channel.role] = entry.fileKey;
      }
      continue;
    }
    if (!fullKey.startsWith(GAMELAN_PREFIX)) continue; // other application keys are not ours
    const { value } = expandEntry(raw, env, where);
    const shortKey = KEY_ALIASES[fullKey.slice(GAMELAN_PREFIX.length)] ?? fullKey.slice(GAMELAN_PREFIX.length);
    if (!KNOWN_KEYS.includes(shortKey)) {
      const suggestion = suggestKey(shortKey);
      throw new ConfigError(
        'CONFIG_UNKNOWN_KEY',
        `${where}${line ? `:${line}` : ''}: unknown key "${raw.fileKey}"` +
          (suggestion ? ` — did you mean "${GAMELAN_PREFIX}${suggestion}"?` : '.') +
          ` Known keys are listed in docs/configuration.md, "Configuration reference".`,
        { file: where, key: raw.fileKey, value },
      );
    }
    fileKeyOf.set(shortKey, raw.fileKey);
    const parts = shortKey.split('.').map(kebabToCamel);
    let node = nested;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }

  // Topic names, highest precedence first: gamelan.kafka.<role>.topic, the channel's mp.messaging.*.topic,
  // kafka.task.topic (tasks only), the dialect's default.
  const dialect = options.dialect ?? 'spec';
  const topicSources = {} as Record<TopicRole, string>;
  for (const role of TOPIC_ROLES) {
    const section = (nested[role] ??= {}) as Record<string, unknown>;
    const own = fileKeyOf.get(`${role}.topic`);
    if (own !== undefined) {
      topicSources[role] = own;
      continue;
    }
    const fromChannels = channelTopics.get(role) ?? [];
    const names = new Set(fromChannels.map((e) => e.value));
    if (names.size > 1) {
      throw new ConfigError(
        'CONFIG_INVALID_VALUE',
        `${where}: the ${role} topic is named twice, differently: ${fromChannels.map((e) => `${e.fileKey} = ${JSON.stringify(e.value)}`).join(', ')}. ` +
          `Give every channel of the ${role} topic the same topic, or set ${GAMELAN_PREFIX}${role}.topic, which wins.`,
        { file: where, key: fromChannels[0]!.fileKey, value: [...names] },
      );
    }
    if (fromChannels.length > 0) {
      section.topic = fromChannels[0]!.value;
      topicSources[role] = fromChannels[0]!.fileKey;
    } else if (role === 'tasks' && taskTopic !== undefined) {
      section.topic = taskTopic.value;
      topicSources[role] = taskTopic.fileKey;
    } else {
      section.topic = DIALECT_TOPIC_DEFAULTS[dialect][role];
      topicSources[role] = `default (${dialect})`;
    }
    if (typeof section.topic === 'string' && topicSources[role] !== `default (${dialect})`)
      fileKeyOf.set(`${role}.topic`, topicSources[role]);
  }
  // The executors' group: gamelan.kafka.consumer.group-id, else the tasks channel's incoming group.
  if (!fileKeyOf.has('consumer.group-id') && groupIds.tasks !== undefined) {
    ((nested.consumer ??= {}) as Record<string, unknown>).groupId = groupIds.tasks;
    fileKeyOf.set('consumer.group-id', groupSources.tasks!);
  }

  const parsed = gamelanKafkaSchema.safeParse(nested);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => describeIssue(issue, nested, fileKeyOf, lineOfFileKey));
    const first = parsed.error.issues[0]!;
    throw new ConfigError('CONFIG_INVALID_VALUE', `${where}: invalid configuration:\n  ${lines.join('\n  ')}`, {
      file: where,
      key: GAMELAN_PREFIX + first.path.map((p) => camelToKebab(String(p))).join('.'),
      value: valueAt(nested, first.path),
    });
  }
  return {
    gamelan: parsed.data,
    kafka: {
      ...(bootstrapServers ? { bootstrapServers } : {}),
      ...(groupId ? { groupId } : {}),
      ...(Object.keys(groupIds).length ? { groupIds } : {}),
    },
    topicSources,
    profile,
    source: file,
  };
}

function valueAt(root: unknown, pathParts: readonly PropertyKey[]): unknown {
  return pathParts.reduce<unknown>((node, part) => (node as Record<PropertyKey, unknown> | undefined)?.[part], root);
}

function describeIssue(
  issue: z.core.$ZodIssue,
  nested: unknown,
  fileKeyOf: Map<string, string>,
  lineOfFileKey: ReadonlyMap<string, number | undefined>,
): string {
  const shortKey = issue.path.map((p) => camelToKebab(String(p))).join('.');
  const key = fileKeyOf.get(shortKey) ?? GAMELAN_PREFIX + shortKey;
  const value = valueAt(nested, issue.path);
  const line = lineOfFileKey.get(key);
  return `${key} = ${JSON.stringify(value)} is not allowed: ${allowedFor(issue)}${line ? ` (line ${line})` : ''}`;
}

function allowedFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return 'empty value: give a value';
      if (issue.origin === 'string') return `must be at least ${String(issue.minimum)} characters`;
      return issue.inclusive === false ? `must be > ${String(issue.minimum)}` : `must be ≥ ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return issue.inclusive === false ? `must be < ${String(issue.maximum)}` : `must be ≤ ${String(issue.maximum)}`;
    case 'invalid_value':
      return `allowed values are ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    default:
      return issue.message;
  }
}
