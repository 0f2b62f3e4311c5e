// Fault injection. Network faults between clients and brokers go through a fault proxy speaking
// Toxiproxy's API (Toxiproxy, its container, or the built-in proxy: fault-proxy.ts chooses) — latency,
// bandwidth, reset_peer, blackhole/timeout, slicer, down — per broker and per client lane; broker
// faults (kill -9, pause/resume, restart, kill a key's partition leader) act on the broker nodes: native
// JVMs by signals, containers through the Docker API (StartedBroker.nodeFaults).
export { type ActiveFault } from './active-fault.js';
export { ADVERTISED_LANE, advertisedProxies, type AdvertisedProxies } from './advertised.js';
export {
  BrokerFaults,
  type DrivenCluster,
  type FaultableCluster,
  nodeFaultDriver,
  type PartitionLeader,
} from './brokers.js';
export {
  type ClusterFaults,
  faultsUnavailable,
  type ClusterNeeds,
  type FaultClients,
  hasBrokerFaults,
  isFaultableCluster,
  openClusterFaults,
} from './cluster-faults.js';
export {
  brokerAddresses,
  NetworkFaults,
  routedSocketFactory,
  type BrokerAddress,
  type FaultTarget,
  type NetworkFaultsOptions,
} from './network.js';
export {
  chooseFaultProxy,
  FAULT_PROXY_ENV_VAR,
  FAULT_PROXY_KINDS,
  faultProxyDiagnosis,
  faultProxyKindFromEnv,
  faultProxyUnavailable,
  startBuiltinProxy,
  startToxiproxy,
  type FaultProxyChoice,
  type FaultProxyKind,
} from './fault-proxy.js';
export { TOXIPROXY_IMAGE } from './toxiproxy-container.js';
export {
  findToxiproxy,
  installedToxiproxyPath,
  TOXIPROXY_BINARY,
  type FaultProxySource,
  type StartedToxiproxy,
  type ToxiproxySource,
} from './toxiproxy-server.js';
