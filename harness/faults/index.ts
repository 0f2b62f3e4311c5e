// Fault injection. Network faults between clients and brokers go through Toxiproxy (latency,
// bandwidth, reset_peer, blackhole/timeout, slicer, down), per broker and per client lane.
export { brokerAddresses, NetworkFaults, type ActiveFault, type BrokerAddress, type FaultTarget, type NetworkFaultsOptions } from './network.js';
export { findToxiproxy, installedToxiproxyPath, startToxiproxy, TOXIPROXY_BINARY, type StartedToxiproxy, type ToxiproxySource } from './toxiproxy-server.js';
