import { describe, expect, it } from 'vitest';
import { FaultError } from '../../../harness/errors.js';
import { TOXICS } from '../../../harness/faults/toxics.js';

// The one toxic table NetworkFaults and the CLI's attached faults both add from (no Toxiproxy needed).

describe('TOXICS', () => {
  it('gives each fault its Toxiproxy type, attributes, default streams and description', () => {
    expect(TOXICS.latency(200, 50)).toEqual({
      type: 'latency',
      attributes: { latency: 200, jitter: 50 },
      streams: ['downstream'],
      description: 'latency 200 ms ± 50 ms',
    });
    expect(TOXICS.bandwidth(64)).toEqual({
      type: 'bandwidth',
      attributes: { rate: 64 },
      streams: ['downstream'],
      description: 'bandwidth 64 KB/s',
    });
    expect(TOXICS.resetPeer()).toEqual({
      type: 'reset_peer',
      attributes: { timeout: 0 },
      streams: ['downstream'],
      description: 'reset peer',
    });
    expect(TOXICS.blackhole()).toEqual({
      type: 'timeout',
      attributes: { timeout: 0 },
      streams: ['upstream', 'downstream'],
      description: 'blackhole',
    });
    expect(TOXICS.timeout(500)).toEqual({
      type: 'timeout',
      attributes: { timeout: 500 },
      streams: ['upstream', 'downstream'],
      description: 'timeout after 500 ms',
    });
    expect(TOXICS.slicer({ averageSize: 64, sizeVariation: 32, delayUs: 10 })).toEqual({
      type: 'slicer',
      attributes: { average_size: 64, size_variation: 32, delay: 10 },
      streams: ['downstream'],
      description: 'slicer 64 ± 32 B, 10 µs apart',
    });
    expect(TOXICS.slicer({ averageSize: 128 }).description).toBe('slicer 128 B');
  });

  it('refuses numbers a toxic cannot take, naming the field and the value', () => {
    expect(() => TOXICS.latency(Number.NaN)).toThrow(FaultError);
    expect(() => TOXICS.latency(10, -1)).toThrow('jitter ms = -1 is not allowed');
    expect(() => TOXICS.bandwidth(-5)).toThrow('bandwidth KB/s = -5 is not allowed');
    expect(() => TOXICS.timeout(0)).toThrow('timeout ms = 0 is not allowed');
    expect(() => TOXICS.slicer({ averageSize: 0 })).toThrow('slicer averageSize = 0 is not allowed');
  });
});
