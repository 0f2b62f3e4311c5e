import { describe, expect, it } from 'vitest';
import { log4jProperties } from '../../../harness/brokers/kraft/log4j.js';
import {
  parseSimpleProperties,
  renderProperties,
  serverProperties,
  type NodeEndpoints,
} from '../../../harness/brokers/kraft/server-properties.js';
import { WORKSPACE_HEARTBEAT_INTERVAL_MS, WORKSPACE_SESSION_TIMEOUT_MS } from '../../../harness/workspace/config.js';

const three: NodeEndpoints[] = [
  { nodeId: 1, port: 19092, controllerPort: 19093 },
  { nodeId: 2, port: 19094, controllerPort: 19095 },
  { nodeId: 3, port: 19096, controllerPort: 19097 },
];

describe('serverProperties', () => {
  it('binds and advertises every listener on 127.0.0.1 only', () => {
    for (const node of three) {
      const props = serverProperties({ node, cluster: three, logDir: '/tmp/x' });
      const addresses = [props.listeners, props['advertised.listeners'], props['controller.quorum.voters']].join(',');
      const hosts = [...addresses.matchAll(/(?:\/\/|@)([^:,]+):\d+/g)].map((m) => m[1]);
      expect(hosts.length).toBeGreaterThan(0);
      expect(new Set(hosts)).toEqual(new Set(['127.0.0.1']));
      expect(props.listeners).toBe(`PLAINTEXT://127.0.0.1:${node.port},CONTROLLER://127.0.0.1:${node.controllerPort}`);
      expect(Object.values(props).join('\n')).not.toMatch(/0\.0\.0\.0|localhost|::/);
    }
  });

  it('adds a PROXIED client listener advertised at the fault proxy when asked, keeping inter-broker traffic on PLAINTEXT', () => {
    const node = { ...three[0]!, proxied: { port: 19098, advertisedPort: 29092 } };
    const props = serverProperties({ node, cluster: three, logDir: '/d' });
    expect(props.listeners).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093,PROXIED://127.0.0.1:19098');
    expect(props['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:19092,PROXIED://127.0.0.1:29092');
    expect(props['listener.security.protocol.map']).toBe('PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT');
    expect(props['inter.broker.listener.name']).toBe('PLAINTEXT');
  });

  it('lists the same three voters on every node, with combined roles', () => {
    const voters = three.map(
      (node) => serverProperties({ node, cluster: three, logDir: '/d' })['controller.quorum.voters'],
    );
    expect(voters).toEqual(Array(3).fill('1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097'));
    const props = serverProperties({ node: three[1]!, cluster: three, logDir: '/d' });
    expect(props['process.roles']).toBe('broker,controller');
    expect(props['node.id']).toBe('2');
  });

  it('sizes internal topics to the cluster and keeps test-friendly group settings', () => {
    const one = serverProperties({ node: three[0]!, cluster: [three[0]!], logDir: '/d' });
    expect(one['offsets.topic.replication.factor']).toBe('1');
    expect(one['transaction.state.log.replication.factor']).toBe('1');
    expect(one['transaction.state.log.min.isr']).toBe('1');
    const trio = serverProperties({ node: three[0]!, cluster: three, logDir: '/d' });
    expect(trio['offsets.topic.replication.factor']).toBe('3');
    expect(trio['transaction.state.log.min.isr']).toBe('2');
    expect(trio['group.initial.rebalance.delay.ms']).toBe('0');
    expect(trio['group.min.session.timeout.ms']).toBe('500');
    // Consumer-protocol groups (KIP-848) get the broker's session and heartbeat: a workspace's classic values.
    expect(trio['group.consumer.session.timeout.ms']).toBe(String(WORKSPACE_SESSION_TIMEOUT_MS));
    expect(trio['group.consumer.heartbeat.interval.ms']).toBe(String(WORKSPACE_HEARTBEAT_INTERVAL_MS));
    expect(Number(trio['group.consumer.min.session.timeout.ms'])).toBeLessThanOrEqual(WORKSPACE_SESSION_TIMEOUT_MS);
    expect(Number(trio['group.consumer.min.heartbeat.interval.ms'])).toBeLessThanOrEqual(
      WORKSPACE_HEARTBEAT_INTERVAL_MS,
    );
    expect(trio['auto.create.topics.enable']).toBe('false');
    expect(trio['log.dirs']).toBe('/d');
  });

  it('renders and parses back', () => {
    const props = serverProperties({ node: three[0]!, cluster: three, logDir: '/tmp/data dir' });
    expect(parseSimpleProperties(renderProperties(props))).toEqual(props);
    expect(parseSimpleProperties('#c\n\ncluster.id=abc\nversion=1\n')).toEqual({ 'cluster.id': 'abc', version: '1' });
  });

  it('writes log4j to the given file', () => {
    expect(log4jProperties({ kind: 'file', file: '/cache/logs/r1/broker-1.log' })).toContain(
      'appender.file.fileName = /cache/logs/r1/broker-1.log',
    );
  });
});
