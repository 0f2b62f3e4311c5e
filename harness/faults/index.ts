// Fault injection. Network faults between clients and brokers go through Toxiproxy (latency,
// bandwidth, reset_peer, blackhole/timeout, slicer, down), per broker and per client lane; broker
// faults (kill -9, pause/resume, kill a key's partition leader) act on the broker processes.
export { type ActiveFault } from './active-fault.js';
export { ADVERTISED_LANE, advertisedProxies, type AdvertisedProxies } from './advertised.js';
export { BrokerFaults, type FaultableCluster, type PartitionLeader } from './brokers.js';
export { type ClusterFaults, faultsUnavailable, type FaultNeeds, isFaultableCluster, openClusterFaults } from './cluster-faults.js';
export { brokerAddresses, NetworkFaults, routedSocketFactory, type BrokerAddress, type FaultTarget, type NetworkFaultsOptions } from './network.js';
export { findToxiproxy, installedToxiproxyPath, startToxiproxy, TOXIPROXY_BINARY, type StartedToxiproxy, type ToxiproxySource } from './toxiproxy-server.js';
