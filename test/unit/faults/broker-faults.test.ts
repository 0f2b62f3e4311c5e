import type { Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { NodeFaultDriver, StartedBroker } from '../../../harness/brokers/index.js';
import { FaultError } from '../../../harness/errors.js';
import { BrokerFaults, faultsUnavailable, hasBrokerFaults, nodeFaultDriver } from '../../../harness/faults/index.js';

// BrokerFaults over a recording driver (no broker): which driver a cluster gets is decided in one place
// (nodeFaultDriver: the started broker's nodeFaults, else signals to the pids of the host-process shape),
// and the checks and ordering around the driver are the same whatever the mechanism.

function recordingDriver(mechanism: NodeFaultDriver['mechanism'], options: { restart?: boolean } = {}) {
  const calls: string[] = [];
  const driver: NodeFaultDriver = {
    mechanism,
    nodeIds: [1, 2, 3],
    describe: (id) => `node ${id}`,
    kill: async (id) => void calls.push(`kill ${id}`),
    pause: async (id) => void calls.push(`pause ${id}`),
    resume: async (id) => void calls.push(`resume ${id}`),
    resumeSync: (id) => void calls.push(`resumeSync ${id}`),
    ...(options.restart !== false && { restart: async (id: number) => void calls.push(`restart ${id}`) }),
  };
  return { driver, calls };
}

const admin = {
  describeCluster: async () => ({
    brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: '127.0.0.1', port: 9092 })),
    controller: 1,
    clusterId: 'c',
  }),
} as unknown as Admin;

describe('BrokerFaults over a node fault driver', () => {
  it('says which mechanism the started broker gave it', async () => {
    await using faults = new BrokerFaults({ nodeFaults: recordingDriver('docker').driver, admin: async () => admin });
    expect(faults.mechanism).toBe('docker');
    expect(faults.nodeIds()).toEqual([1, 2, 3]);
  });

  it('names an unknown broker id and the valid ids, and touches no node', async () => {
    const { driver, calls } = recordingDriver('docker');
    await using faults = new BrokerFaults({ nodeFaults: driver, admin: async () => admin });
    for (const attempt of [() => faults.kill(7), () => faults.pause(7), () => faults.restart(7)]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FaultError);
      expect(error).toMatchObject({
        name: 'FaultError',
        code: 'FAULT_TARGET_UNKNOWN',
        message: 'unknown broker 7; the brokers are 1, 2, 3',
      });
    }
    expect(calls).toEqual([]);
  });

  it('pauses a node once, resumes it before a kill (Docker cannot kill a paused container), and resumes on stop', async () => {
    const { driver, calls } = recordingDriver('docker');
    const faults = new BrokerFaults({ nodeFaults: driver, admin: async () => admin });
    const first = await faults.pause(2);
    expect(await faults.pause(2)).toBe(first);
    await faults.kill(2);
    await faults.pause(3);
    await faults.stop();
    await faults.stop();
    expect(calls).toEqual(['pause 2', 'resume 2', 'kill 2', 'pause 3', 'resume 3']);
  });

  it('restarts through the driver and waits until the cluster lists the node; without a restart it says why', async () => {
    const restartable = recordingDriver('docker');
    await using faults = new BrokerFaults({ nodeFaults: restartable.driver, admin: async () => admin });
    await faults.restart(3);
    expect(restartable.calls).toEqual(['restart 3']);
    await using elsewhere = new BrokerFaults({
      nodeFaults: recordingDriver('signals', { restart: false }).driver,
      admin: async () => admin,
    });
    await expect(elsewhere.restart(3)).rejects.toMatchObject({
      code: 'FAULT_FAILED',
      message: expect.stringContaining('broker 3 cannot be restarted from here'),
    });
  });
});

describe('nodeFaultDriver: one place picks how faults reach the nodes', () => {
  const started = (extra: object) =>
    ({ kind: 'container', brokerCount: 3, admin: async () => admin, ...extra }) as unknown as StartedBroker;

  it("uses the started broker's own driver", () => {
    const { driver } = recordingDriver('docker');
    expect(nodeFaultDriver(started({ nodeFaults: driver }))).toBe(driver);
    expect(hasBrokerFaults(started({ nodeFaults: driver }))).toBe(true);
  });

  it('signals the pids of the host-process shape (nodes by pid and killNode)', () => {
    const driver = nodeFaultDriver({
      nodes: [{ nodeId: 1, pid: 4242 }],
      killNode: async () => {},
      admin: async () => admin,
    });
    expect(driver?.mechanism).toBe('signals');
    expect(driver?.describe(1)).toBe('pid 4242');
    expect(driver?.restart).toBeUndefined();
  });

  it('has none for a cluster the harness does not run, and the scenario skip reason names both providers', () => {
    expect(nodeFaultDriver(started({}))).toBeUndefined();
    const external = { ...started({}), kind: 'external' } as StartedBroker;
    expect(faultsUnavailable({ faults: true }, external, undefined)).toMatch(
      /this cluster is external \(use --kafka native or --kafka container/,
    );
  });

  it('refuses a cluster with no way to reach its nodes', () => {
    expect(() => new BrokerFaults({ admin: async () => admin } as never)).toThrow(
      /broker faults need a cluster whose nodes the harness runs/,
    );
  });
});
