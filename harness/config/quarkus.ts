import { ConfigError } from '../errors.js';
import { CHANNEL_ROLES, UPSTREAM_CHANNELS } from '../vocabulary.js';
import type { TopicRole } from '../vocabulary.js';

// How Quarkus (SmallRye Config) reads an application.properties, as far as the harness needs it:
// `%<profile>.` prefixes, `${VAR}` / `${VAR:default}` expansion, and the MicroProfile Reactive Messaging keys
// that name a channel's topic and group.

/** One key = value of a file, with where it came from. */
export interface ConfigEntry {
  /** The key without its profile prefix. */
  readonly key: string;
  readonly value: unknown;
  /** The key as the file wrote it (`%dev.kafka.bootstrap.servers`). */
  readonly fileKey: string;
  readonly line?: number | undefined;
}

/** Quarkus' profile for local runs (`quarkus dev`); `--profile` picks another. */
export const DEFAULT_PROFILE = 'dev';

const PROFILE_KEY = /^%([^.]+)\.(.+)$/;

/**
 * The entries the active profile sees: `%<profile>.key` (or `%a,b.key` naming it) overrides `key`, wherever
 * it appears in the file; entries of other profiles are dropped.
 */
export function resolveProfile(
  entries: ReadonlyArray<readonly [key: string, value: unknown, line?: number]>,
  profile: string,
): Map<string, ConfigEntry> {
  const plain = new Map<string, ConfigEntry>();
  const profiled = new Map<string, ConfigEntry>();
  for (const [fileKey, value, line] of entries) {
    const match = PROFILE_KEY.exec(fileKey);
    if (!match) {
      plain.set(fileKey, { key: fileKey, value, fileKey, line });
      continue;
    }
    const profiles = match[1]!.split(',').map((p) => p.trim());
    if (profiles.includes(profile)) profiled.set(match[2]!, { key: match[2]!, value, fileKey, line });
  }
  for (const [key, entry] of profiled) plain.set(key, entry);
  return plain;
}

/** The environment a configuration is expanded with. */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Expand `${VAR}` and `${VAR:default}` (the default may itself hold `${…}`) from the environment, as SmallRye
 * Config does. `onMissing` names the variable that has neither a value nor a default.
 */
export function expandVariables(text: string, env: Environment, onMissing: (variable: string) => never): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) return out + text.slice(i);
    out += text.slice(i, start);
    let depth = 1;
    let j = start + 2;
    for (; j < text.length && depth > 0; j += 1) {
      if (text.startsWith('${', j)) {
        depth += 1;
        j += 1;
      } else if (text[j] === '}') depth -= 1;
    }
    if (depth > 0) return out + text.slice(start); // an unclosed "${" is literal text
    const body = text.slice(start + 2, j - 1);
    const colon = body.indexOf(':');
    const name = colon < 0 ? body : body.slice(0, colon);
    const value = env[name];
    if (value !== undefined) out += value;
    else if (colon >= 0) out += expandVariables(body.slice(colon + 1), env, onMissing);
    else onMissing(name);
    i = j;
  }
  return out;
}

/** Expand an entry's value (strings only) or throw CONFIG_VARIABLE_UNRESOLVED naming file, key and variable. */
export function expandEntry(entry: ConfigEntry, env: Environment, file: string): ConfigEntry {
  if (typeof entry.value !== 'string' || !entry.value.includes('${')) return entry;
  const value = expandVariables(entry.value, env, (variable) => {
    throw new ConfigError(
      'CONFIG_VARIABLE_UNRESOLVED',
      `${file}${entry.line ? `:${entry.line}` : ''}: ${entry.fileKey} = ${JSON.stringify(entry.value)} uses \${${variable}}, which the environment does not set ` +
        `and which has no default. Set ${variable}, or write \${${variable}:<default>}.`,
      { file, key: entry.fileKey, value: variable },
    );
  });
  return { ...entry, value };
}

const MP_CHANNEL_KEY = /^mp\.messaging\.(incoming|outgoing)\.([^.]+)\.(topic|group\.id)$/;

/** A MicroProfile Reactive Messaging key about a Gamelan channel's topic or group. */
export interface ChannelSetting {
  readonly direction: 'incoming' | 'outgoing';
  readonly channel: string;
  readonly role: TopicRole;
  readonly setting: 'topic' | 'group.id';
}

/** `mp.messaging.incoming.workflow-tasks.topic` → its channel, role and setting; undefined for other keys or channels. */
export function channelSetting(key: string): ChannelSetting | undefined {
  const match = MP_CHANNEL_KEY.exec(key);
  if (!match) return undefined;
  const role = CHANNEL_ROLES[match[2]!];
  if (role === undefined) return undefined;
  return {
    direction: match[1] as 'incoming' | 'outgoing',
    channel: match[2]!,
    role,
    setting: match[3] as 'topic' | 'group.id',
  };
}

/** The MicroProfile environment name of a key (`mp.messaging.incoming.workflow-tasks.topic` → `MP_MESSAGING_INCOMING_WORKFLOW_TASKS_TOPIC`). */
export function environmentNameOf(key: string): string {
  return key.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
}

/**
 * The MicroProfile environment a Quarkus (SmallRye) Gamelan service reads its Kafka wiring from: the bootstrap
 * servers, and per Java channel its topic (both directions) and the incoming group. For starting a Java executor
 * or engine against harness topics unchanged (`contract --dialect upstream`).
 */
export function microProfileEnvironment(options: {
  readonly bootstrapServers: readonly string[];
  readonly topics: Readonly<Record<TopicRole, string>>;
  readonly groupId: string;
}): Record<string, string> {
  const env: Record<string, string> = { KAFKA_BOOTSTRAP_SERVERS: options.bootstrapServers.join(',') };
  for (const [channel, role] of Object.entries(UPSTREAM_CHANNEL_ROLES)) {
    for (const direction of ['incoming', 'outgoing'] as const) {
      env[environmentNameOf(`mp.messaging.${direction}.${channel}.topic`)] = options.topics[role];
    }
    env[environmentNameOf(`mp.messaging.incoming.${channel}.group.id`)] = options.groupId;
  }
  return env;
}

const UPSTREAM_CHANNEL_ROLES: Readonly<Record<string, TopicRole>> = Object.fromEntries(
  Object.entries(UPSTREAM_CHANNELS).map(([role, channel]) => [channel, role as TopicRole]),
);
