import { describe, expect, it } from 'vitest';
import {
  CONTAINER_NETWORK_KEYS,
  containerServerProperties,
  nodeAlias,
  type ContainerNode,
} from '../../../harness/brokers/container/properties.js';
import { serverProperties } from '../../../harness/brokers/kraft/server-properties.js';

const cluster = (n: number): ContainerNode[] =>
  Array.from({ length: n }, (_, i) => ({ nodeId: i + 1, hostPort: 40_000 + i, alias: nodeAlias(i + 1) }));
const native = (n: number) => {
  const nodes = Array.from({ length: n }, (_, i) => ({ nodeId: i + 1, port: 40_000 + i, controllerPort: 41_000 + i }));
  return serverProperties({ node: nodes[0]!, cluster: nodes, logDir: '/tmp/x' });
};

describe('container server.properties', () => {
  it.each([1, 3])('is the native configuration except the network keys (%i broker(s))', (n) => {
    const nodes = cluster(n);
    const props = containerServerProperties(nodes[0]!, nodes);
    const nat = native(n);
    expect(Object.keys(props).sort()).toEqual(Object.keys(nat).sort());
    const differing = Object.keys(props).filter((k) => props[k] !== nat[k]);
    expect(differing.every((k) => (CONTAINER_NETWORK_KEYS as readonly string[]).includes(k))).toBe(true);
    expect(props['offsets.topic.replication.factor']).toBe(String(Math.min(n, 3)));
  });

  it('advertises clients on 127.0.0.1:<host port> and reaches the other nodes by alias on the Docker network', () => {
    const nodes = cluster(3);
    const props = containerServerProperties(nodes[1]!, nodes);
    expect(props['advertised.listeners']).toBe('PLAINTEXT://127.0.0.1:40001,INTERNAL://kafka-2:19092');
    expect(props['controller.quorum.voters']).toBe('1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093');
    expect(props['inter.broker.listener.name']).toBe('INTERNAL');
    expect(props['process.roles']).toBe('broker,controller');
    expect(props['node.id']).toBe('2');
  });

  it('with a fault proxy, adds a PROXIED listener on container port 9094 advertised at the proxy port (same keys as without)', () => {
    const nodes = cluster(3).map((n) => ({
      ...n,
      proxied: { port: 42_000 + n.nodeId, advertisedPort: 43_000 + n.nodeId },
    }));
    const props = containerServerProperties(nodes[1]!, nodes);
    expect(props.listeners).toBe(
      'PLAINTEXT://0.0.0.0:9092,INTERNAL://0.0.0.0:19092,CONTROLLER://0.0.0.0:9093,PROXIED://0.0.0.0:9094',
    );
    expect(props['advertised.listeners']).toBe(
      'PLAINTEXT://127.0.0.1:40001,INTERNAL://kafka-2:19092,PROXIED://127.0.0.1:43002',
    );
    expect(props['listener.security.protocol.map']).toBe(
      'PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT',
    );
    expect(Object.keys(props).sort()).toEqual(
      Object.keys(containerServerProperties(cluster(3)[1]!, cluster(3))).sort(),
    );
  });
});
