import type { ToxicDirection, ToxicType } from 'toxiproxy-node-client';
import { checkFaultNumber } from './active-fault.js';

// The Toxiproxy toxic of each network fault, once: its type, attributes, default streams and description, with
// its numbers checked. NetworkFaults (faults/network.ts, lanes this process made) and AttachedNetworkFaults
// (faults/attached.ts, proxies `up --fault-proxy` made, for `gamelan-harness fault`) both add toxics from here.

export interface ToxicSpec {
  readonly type: ToxicType;
  readonly attributes: object;
  /** The streams it goes on unless a fault's target names a direction. */
  readonly streams: readonly ToxicDirection[];
  readonly description: string;
}

const DOWNSTREAM: readonly ToxicDirection[] = ['downstream'];
const BOTH: readonly ToxicDirection[] = ['upstream', 'downstream'];

export interface SlicerOptions {
  readonly averageSize: number;
  readonly sizeVariation?: number;
  readonly delayUs?: number;
}

export const TOXICS = {
  /** Delay data by `ms` (± `jitterMs`), downstream, so a request's round trip grows by `ms`. */
  latency(ms: number, jitterMs?: number): ToxicSpec {
    checkFaultNumber('latency ms', ms, 0);
    if (jitterMs !== undefined) checkFaultNumber('jitter ms', jitterMs, 0);
    return {
      type: 'latency',
      attributes: { latency: ms, jitter: jitterMs ?? 0 },
      streams: DOWNSTREAM,
      description: `latency ${ms} ms${jitterMs ? ` ± ${jitterMs} ms` : ''}`,
    };
  },
  /** Limit throughput to `kbPerSecond` KB/s. */
  bandwidth(kbPerSecond: number): ToxicSpec {
    checkFaultNumber('bandwidth KB/s', kbPerSecond, 0);
    return {
      type: 'bandwidth',
      attributes: { rate: kbPerSecond },
      streams: DOWNSTREAM,
      description: `bandwidth ${kbPerSecond} KB/s`,
    };
  },
  /** Reset connections (TCP RST) when data arrives, immediately or `afterMs` later. */
  resetPeer(afterMs = 0): ToxicSpec {
    return { type: 'reset_peer', attributes: { timeout: afterMs }, streams: DOWNSTREAM, description: 'reset peer' };
  },
  /** Let nothing through and keep connections open (Toxiproxy's timeout toxic with no timeout), both ways. */
  blackhole(): ToxicSpec {
    return { type: 'timeout', attributes: { timeout: 0 }, streams: BOTH, description: 'blackhole' };
  },
  /** Let nothing through and close connections after `ms`, both ways. */
  timeout(ms: number): ToxicSpec {
    checkFaultNumber('timeout ms', ms, 1);
    return { type: 'timeout', attributes: { timeout: ms }, streams: BOTH, description: `timeout after ${ms} ms` };
  },
  /** Cut data into small packets (`averageSize` ± `sizeVariation` bytes), `delayUs` µs apart. */
  slicer({ averageSize, sizeVariation = 0, delayUs = 0 }: SlicerOptions): ToxicSpec {
    checkFaultNumber('slicer averageSize', averageSize, 1);
    const description = `slicer ${averageSize}${sizeVariation ? ` ± ${sizeVariation}` : ''} B${delayUs ? `, ${delayUs} µs apart` : ''}`;
    return {
      type: 'slicer',
      attributes: { average_size: averageSize, size_variation: sizeVariation, delay: delayUs },
      streams: DOWNSTREAM,
      description,
    };
  },
} as const;
