import { ConfigError } from '../errors.js';

// Bootstrap servers, wherever they come from (--bootstrap-servers, GAMELAN_KAFKA_BOOTSTRAP_SERVERS /
// KAFKA_BOOTSTRAP_SERVERS, `kafka.bootstrap.servers` in a configuration file, bootstrapServers in
// code): one parser, so the same input gets the same answer and the same error everywhere.

/** Environment variables naming an existing cluster, in the order they are read. */
export const BOOTSTRAP_ENV_VARS = ['GAMELAN_KAFKA_BOOTSTRAP_SERVERS', 'KAFKA_BOOTSTRAP_SERVERS'] as const;

/** What a bootstrap servers value may be, for error messages and help texts. */
export const BOOTSTRAP_SERVERS_ALLOWED =
  'a comma-separated list of host:port, e.g. localhost:9092,127.0.0.1:9093 ' +
  '(a listener prefix such as PLAINTEXT:// is dropped; a host is a name or an IPv4 address: IPv6 addresses are not supported)';

/** `NAME://` as Kafka prints listeners (PLAINTEXT://, SASL_SSL://, CLIENT-1://). */
const LISTENER_PREFIX = /^[A-Za-z][A-Za-z0-9_-]*:\/\//;
const IPV6 = /^\[([0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]:([^:]*)$/;
const HOST_PORT = /^([^\s:/[\]@,]+):([^:]*)$/;

/** One entry → `host:port` (IPv6 as `[addr]:port`), or why it is not one. */
function parseEntry(raw: string): { readonly server: string } | { readonly problem: string } {
  const entry = raw.trim().replace(LISTENER_PREFIX, '');
  if (entry === '') return { problem: 'it has an empty entry (two commas in a row, or one at either end)' };
  const match = IPV6.exec(entry) ?? HOST_PORT.exec(entry);
  if (!match) {
    if (/^[^[]*:.*:/.test(entry))
      return { problem: `"${raw.trim()}" looks like an IPv6 address without brackets; write it as [address]:port` };
    if (!entry.includes(':')) return { problem: `"${raw.trim()}" has no port; write host:port` };
    return { problem: `"${raw.trim()}" is not host:port` };
  }
  const [, host, port] = match as unknown as [string, string, string];
  // kafkajs 2 splits an address at its first ':', so an IPv6 literal never connects (and it blames name
  // resolution): refused here, where it is written, rather than a run that cannot reach its cluster.
  if (entry.startsWith('[')) {
    return {
      problem: `"${raw.trim()}" is an IPv6 address, which the harness's Kafka client (kafkajs) cannot reach; use an IPv4 address (127.0.0.1:${port}) or a host name`,
    };
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    return { problem: `"${raw.trim()}" has port "${port}"; a port is an integer from 1 to 65535` };
  }
  return { server: entry.startsWith('[') ? `[${host}]:${Number(port)}` : `${host}:${Number(port)}` };
}

/**
 * A bootstrap servers text → its `host:port` entries (at least one), or the first problem found.
 * Plain code, no zod: the CLI's option layer parses --bootstrap-servers with it, and `--help` or bad
 * input must not pay for loading a schema library (value-schemas.ts wraps it as a zod schema).
 * IPv6 literals (`[::1]:9092`) are refused: kafkajs 2 splits entries at the first ':' and cannot reach them.
 */
export function checkBootstrapServers(value: string): { readonly servers: string[] } | { readonly problem: string } {
  if (value.trim() === '') return { problem: 'it is empty' };
  const servers: string[] = [];
  for (const raw of value.split(',')) {
    const entry = parseEntry(raw);
    if ('problem' in entry) return entry;
    servers.push(entry.server);
  }
  return { servers };
}

/** Where a value came from, for the error: a flag (`--bootstrap-servers`), a variable, or a configuration key in a file. */
export type InputName = string | { readonly key: string; readonly file?: string; readonly line?: number | undefined };

export function describeInput(input: InputName): {
  readonly key: string;
  readonly file?: string;
  readonly label: string;
} {
  if (typeof input === 'string') return { key: input, label: input };
  const where = input.file === undefined ? '' : `${input.file}${input.line ? `:${input.line}` : ''}: `;
  return { key: input.key, ...(input.file !== undefined && { file: input.file }), label: `${where}${input.key}` };
}

/**
 * Parse bootstrap servers (a string, or entries already split) into `host:port` entries. Throws a
 * ConfigError naming `input`, the value and what is allowed.
 */
export function parseBootstrapServers(value: unknown, input: InputName): string[] {
  const { key, file, label } = describeInput(input);
  const fail = (problem: string): never => {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `${label} = ${JSON.stringify(value)} is not valid: ${problem}. Allowed: ${BOOTSTRAP_SERVERS_ALLOWED}.`,
      {
        key,
        value,
        ...(file !== undefined && { file }),
      },
    );
  };
  const text = Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(',') : value;
  if (typeof text !== 'string')
    return fail(`it is ${Array.isArray(value) ? 'a list with non-text entries' : `a ${typeof value}`}, not text`);
  const checked = checkBootstrapServers(text);
  return 'servers' in checked ? checked.servers : fail(checked.problem);
}

/**
 * The bootstrap servers the environment names: the first of BOOTSTRAP_ENV_VARS that is set and not
 * blank. A malformed value is an error naming the variable, not a silent fallback.
 */
export function bootstrapServersFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): { servers: string[]; variable: string } | undefined {
  for (const variable of BOOTSTRAP_ENV_VARS) {
    const value = env[variable];
    if (value !== undefined && value.trim() !== '')
      return { servers: parseBootstrapServers(value, variable), variable };
  }
  return undefined;
}
