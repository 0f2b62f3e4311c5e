// server.properties for one combined broker+controller KRaft node, tuned for tests: every
// listener on 127.0.0.1 only, internal topics replicated as far as the cluster allows, no
// initial rebalance delay, short sessions so crash scenarios and failover are quick.

export const LOOPBACK = '127.0.0.1';

export interface NodeEndpoints {
  readonly nodeId: number;
  /** Client (PLAINTEXT) port. */
  readonly port: number;
  readonly controllerPort: number;
  /** A second client listener, advertised at a fault proxy's port (see BrokerStartOptions.faultProxy). */
  readonly proxied?: { readonly port: number; readonly advertisedPort: number };
  /** Secure modes: the inter-broker listener (INTERNAL, PLAINTEXT on loopback); the client listener speaks the secure protocol. */
  readonly internalPort?: number;
}

export interface ServerPropertiesInput {
  readonly node: NodeEndpoints;
  /** Every node of the cluster, this one included (the static controller quorum). */
  readonly cluster: readonly NodeEndpoints[];
  readonly logDir: string;
  /** Listener name and protocol of the client listeners (PROXIED too): SASL_PLAINTEXT, SSL, SASL_SSL; default PLAINTEXT. */
  readonly clientProtocol?: string;
}

export function serverProperties({
  node,
  cluster,
  logDir,
  clientProtocol = 'PLAINTEXT',
}: ServerPropertiesInput): Record<string, string> {
  const brokers = cluster.length;
  const replication = String(Math.min(brokers, 3));
  // With 3 nodes, min.isr 2 keeps acks=all meaningful while one node is down.
  const minIsr = String(Math.max(1, Math.min(brokers, 3) - 1));
  // Secure client listeners: brokers talk to each other on a PLAINTEXT loopback listener of their own.
  const internal = clientProtocol === 'PLAINTEXT' ? undefined : node.internalPort;
  if (clientProtocol !== 'PLAINTEXT' && internal === undefined)
    throw new Error(`node ${node.nodeId}: a ${clientProtocol} client listener needs an internal (inter-broker) port`);
  return {
    'process.roles': 'broker,controller',
    'node.id': String(node.nodeId),
    'controller.quorum.voters': cluster.map((n) => `${n.nodeId}@${LOOPBACK}:${n.controllerPort}`).join(','),
    listeners: `${clientProtocol}://${LOOPBACK}:${node.port},CONTROLLER://${LOOPBACK}:${node.controllerPort}${internal ? `,INTERNAL://${LOOPBACK}:${internal}` : ''}${node.proxied ? `,PROXIED://${LOOPBACK}:${node.proxied.port}` : ''}`,
    'advertised.listeners': `${clientProtocol}://${LOOPBACK}:${node.port}${internal ? `,INTERNAL://${LOOPBACK}:${internal}` : ''}${node.proxied ? `,PROXIED://${LOOPBACK}:${node.proxied.advertisedPort}` : ''}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': internal ? 'INTERNAL' : 'PLAINTEXT',
    'listener.security.protocol.map': `${clientProtocol}:${clientProtocol},CONTROLLER:PLAINTEXT${internal ? ',INTERNAL:PLAINTEXT' : ''}${node.proxied ? `,PROXIED:${clientProtocol}` : ''}`,
    'log.dirs': logDir,
    'offsets.topic.replication.factor': replication,
    'offsets.topic.num.partitions': '10',
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minIsr,
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': minIsr,
    'default.replication.factor': '1',
    'min.insync.replicas': '1',
    'num.partitions': '1',
    'auto.create.topics.enable': 'false',
    'group.initial.rebalance.delay.ms': '0',
    'group.min.session.timeout.ms': '500',
    // The consumer protocol's (KIP-848) session and heartbeat are the broker's, not the member's: the same fast failure
    // detection as the classic groups of a workspace (6 s session, 500 ms heartbeats) instead of 45 s and 5 s.
    'group.consumer.min.session.timeout.ms': '1000',
    'group.consumer.session.timeout.ms': '6000',
    'group.consumer.min.heartbeat.interval.ms': '500',
    'group.consumer.heartbeat.interval.ms': '500',
    // A killed node is fenced (and its partitions fail over) after 3 s instead of 9 s.
    'broker.heartbeat.interval.ms': '500',
    'broker.session.timeout.ms': '3000',
    'log.segment.bytes': String(16 * 1024 * 1024),
    'log.index.size.max.bytes': String(1024 * 1024),
    'num.network.threads': '2',
    'num.io.threads': '2',
    'num.recovery.threads.per.data.dir': '1',
    'log.cleaner.dedupe.buffer.size': String(2 * 1024 * 1024),
  };
}

/** `key=value` lines; values here never need escaping except backslashes in Windows-style paths. */
export function renderProperties(properties: Readonly<Record<string, string>>): string {
  return `${Object.entries(properties)
    .map(([key, value]) => `${key}=${value.replace(/\\/g, '\\\\')}`)
    .join('\n')}\n`;
}

/** Parse simple `key=value` properties (meta.properties); comments and blank lines skipped. */
export function parseSimpleProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith('!')) continue;
    const eq = trimmed.search(/[=:]/);
    if (eq < 0) continue;
    out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim();
  }
  return out;
}
