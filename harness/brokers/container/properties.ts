import {
  type BrokerSecurity,
  log4jProperties,
  LOOPBACK,
  securityServerProperties,
  serverProperties,
  type NodeEndpoints,
} from '../kraft/index.js';

// The container provider's server.properties: exactly the native provider's (same tuning, same
// replication rules), with only the network keys changed for life behind a Docker network:
//   - clients: PLAINTEXT on container port 9092, published on 127.0.0.1:<host port> and advertised there;
//   - brokers: INTERNAL on <alias>:19092 over the user-defined network (127.0.0.1 inside a
//     container is that container, so brokers cannot use the client listener to reach each other);
//   - controllers: CONTROLLER on <alias>:9093, never published;
//   - with a fault proxy (faultProxy): PROXIED on container port 9094, published on 127.0.0.1:<upstream port> (what
//     the proxy forwards to) and advertised at 127.0.0.1:<proxy port>, so clients bootstrapping there stay behind it.

export const CONTAINER_CLIENT_PORT = 9092;
export const CONTAINER_INTERNAL_PORT = 19092;
export const CONTAINER_CONTROLLER_PORT = 9093;
export const CONTAINER_PROXIED_PORT = 9094;
export const CONTAINER_LOG_DIR = '/var/lib/kafka/data';
export const CONTAINER_PROPERTIES_FILE = '/etc/gamelan/server.properties';
export const CONTAINER_LOG4J_FILE = '/etc/gamelan/log4j2.properties';
/** Secure modes: the broker's keystore, and the `--add-scram` value the format step reads (kept off the command line). */
export const CONTAINER_KEYSTORE_FILE = '/etc/gamelan/broker.p12';
export const CONTAINER_SCRAM_FILE = '/etc/gamelan/scram';

/** The keys the container provider sets differently from the native one (a unit test holds the rest equal). */
export const CONTAINER_NETWORK_KEYS = [
  'listeners',
  'advertised.listeners',
  'controller.quorum.voters',
  'inter.broker.listener.name',
  'listener.security.protocol.map',
  'log.dirs',
] as const;

export interface ContainerNode {
  readonly nodeId: number;
  /** Host port on 127.0.0.1 where this node's client listener is published. */
  readonly hostPort: number;
  /** Network alias of this node on the cluster's Docker network. */
  readonly alias: string;
  /** With a fault proxy: the host port PROXIED is published on (the proxy's upstream) and the proxy's port it advertises. */
  readonly proxied?: { readonly port: number; readonly advertisedPort: number };
}

export function nodeAlias(nodeId: number): string {
  return `kafka-${nodeId}`;
}

export function containerServerProperties(
  node: ContainerNode,
  cluster: readonly ContainerNode[],
  security?: BrokerSecurity,
): Record<string, string> {
  const client = security?.listener ?? 'PLAINTEXT';
  const asEndpoints = (n: ContainerNode): NodeEndpoints => ({
    nodeId: n.nodeId,
    port: n.hostPort,
    controllerPort: CONTAINER_CONTROLLER_PORT,
  });
  const base = serverProperties({
    node: asEndpoints(node),
    cluster: cluster.map(asEndpoints),
    logDir: CONTAINER_LOG_DIR,
  });
  const proxied = node.proxied;
  return {
    ...base,
    listeners: `${client}://0.0.0.0:${CONTAINER_CLIENT_PORT},INTERNAL://0.0.0.0:${CONTAINER_INTERNAL_PORT},CONTROLLER://0.0.0.0:${CONTAINER_CONTROLLER_PORT}${proxied ? `,PROXIED://0.0.0.0:${CONTAINER_PROXIED_PORT}` : ''}`,
    'advertised.listeners': `${client}://${LOOPBACK}:${node.hostPort},INTERNAL://${node.alias}:${CONTAINER_INTERNAL_PORT}${proxied ? `,PROXIED://${LOOPBACK}:${proxied.advertisedPort}` : ''}`,
    'controller.quorum.voters': cluster.map((n) => `${n.nodeId}@${n.alias}:${CONTAINER_CONTROLLER_PORT}`).join(','),
    'inter.broker.listener.name': 'INTERNAL',
    'listener.security.protocol.map': `${client}:${client},INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT${proxied ? `,PROXIED:${client}` : ''}`,
    'log.dirs': CONTAINER_LOG_DIR,
    ...(security &&
      securityServerProperties(security, [client, ...(proxied ? ['PROXIED'] : [])], {
        keystore: CONTAINER_KEYSTORE_FILE,
      })),
  };
}

/** log4j2 for a container: the native provider's levels, to stdout (`docker logs`, and the harness's log file). */
export function containerLog4jProperties(): string {
  return log4jProperties({ kind: 'stdout' });
}
