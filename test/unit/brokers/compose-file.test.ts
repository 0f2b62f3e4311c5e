import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMPOSE_FILE, COMPOSE_SERVICES, composeEnvironment } from '../../../harness/brokers/compose.js';
import { DEFAULT_CONFIG } from '../../../harness/config/index.js';
import { planTopics } from '../../../harness/config/topic-plan.js';

// Validates docker-compose-kraft.yml without Docker: it parses, its topic service creates the
// spec's five topics with the spec's settings, and every published port is on 127.0.0.1.

interface Service {
  image?: string;
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  command?: string[];
  depends_on?: string[];
}
const file = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true, maxAliasCount: -1 }) as {
  services: Record<string, Service>;
};
const services = file.services;

/** `${VAR:-default}` → the value from `vars`, else the default, as compose interpolates. */
const interpolate = (text: string, vars: Record<string, string> = {}): string =>
  text.replace(
    /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g,
    (_m, name: string, def: string | undefined) => vars[name] ?? def ?? '',
  );

describe('docker-compose-kraft.yml', () => {
  it('parses, with a broker, a one-shot topics service and a three-broker profile', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['kafka', 'topics', 'kafka-1', 'kafka-2', 'kafka-3', 'topics-cluster']),
    );
    expect(services.kafka!.profiles).toBeUndefined();
    for (const name of [...COMPOSE_SERVICES[3].brokers, COMPOSE_SERVICES[3].topics])
      expect(services[name]!.profiles).toEqual(['cluster']);
    expect(services.topics!.depends_on).toEqual(['kafka']);
    expect(interpolate(services.kafka!.image!)).toBe('apache/kafka:4.1.1');
  });

  it('publishes host ports on 127.0.0.1 only, and advertises them there', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? [])
        expect(`${name}: ${interpolate(port)}`).toMatch(/^[a-z0-9-]+: 127\.0\.0\.1:\d+:9092$/);
      const advertised = service.environment?.KAFKA_ADVERTISED_LISTENERS;
      if (advertised)
        expect(interpolate(advertised)).toMatch(/^PLAINTEXT:\/\/127\.0\.0\.1:\d+,INTERNAL:\/\/kafka(-\d)?:19092$/);
    }
  });

  it.each([
    ['topics', 1],
    ['topics-cluster', 3],
  ] as const)('%s creates the five Gamelan topics with the spec settings (%i broker(s))', (name, brokers) => {
    const env = services[name]!.environment!;
    const plans = planTopics(DEFAULT_CONFIG, brokers).topics;
    expect(interpolate(env.TOPICS!).split(/\s+/)).toEqual(plans.map((p) => p.name));
    expect(interpolate(env.PARTITIONS!)).toBe('3');
    expect(interpolate(env.RETENTION_MS!)).toBe('2592000000');
    // Replication factor from the configuration: the spec's 2, clamped to 1 on the single broker.
    expect(interpolate(env.REPLICATION_FACTOR!)).toBe(String(plans[0]!.replicationFactor));
    const script = services[name]!.command!.join('\n');
    expect(script).toMatch(/--create --if-not-exists/);
    expect(script).toMatch(/--config "retention\.ms=\$\$RETENTION_MS"/);
  });

  it('takes the configured topics, ports and image from the harness through its variables', () => {
    const config = { ...DEFAULT_CONFIG, partitions: 6, tasks: { topic: 'acme.tasks' } };
    const plans = planTopics(config, 1).topics;
    const vars = composeEnvironment(config, plans, { GAMELAN_KAFKA_PORT: 41234 }, 'gamelan/kafka-kraft:4.1.1', 'abc');
    expect(interpolate(services.topics!.environment!.TOPICS!, vars).split(/\s+/)[0]).toBe('acme.tasks');
    expect(interpolate(services.topics!.environment!.PARTITIONS!, vars)).toBe('6');
    expect(interpolate(services.kafka!.ports![0]!, vars)).toBe('127.0.0.1:41234:9092');
    expect(interpolate(services.kafka!.image!, vars)).toBe('gamelan/kafka-kraft:4.1.1');
  });
});
