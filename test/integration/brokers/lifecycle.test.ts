import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BrokerError } from '../../../harness/errors.js';
import { nativeUnavailable, startNativeTestBroker } from '../../support/broker.js';
import { type Held as HeldProcess, holdScript } from '../../support/hold.js';

const skip = await nativeUnavailable();
const holdBroker = fileURLToPath(new URL('../../support/hold-broker.ts', import.meta.url));

type Held = HeldProcess<{ readonly pid: number; readonly pids: number[]; readonly dataDir: string }>;

const spawned: number[] = [];

/** test/support/hold-broker.ts, until it prints its JSON line. */
async function holdABroker(options: object = {}): Promise<Held> {
  const held = await holdScript<{ pid: number; pids: number[]; dataDir: string }>(holdBroker, [
    JSON.stringify(options),
  ]);
  spawned.push(held.pid, ...held.pids);
  return held;
}

/** Alive = exists and is not a zombie (an orphan's zombie may wait for a reaper that never comes). */
function alive(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

/** Broker JVMs whose command line mentions this data dir. */
function kafkaJvmsFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', 'kafka.Kafka'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(dataDir));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

afterEach(() => {
  // Whatever a failed assertion left behind.
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe.skipIf(skip !== undefined)('nothing survives the harness (native)', () => {
  it('SIGTERM: the harness stops, no broker JVM and no data dir remain', async () => {
    const held = await holdABroker();
    expect(held.pids.every(alive)).toBe(true);
    expect(existsSync(held.dataDir)).toBe(true);
    expect(kafkaJvmsFor(held.dataDir)).toHaveLength(1);

    process.kill(held.pid, 'SIGTERM');
    expect(await until(() => !held.pids.some(alive) && !existsSync(held.dataDir), 5_000)).toBe(true);
    expect(kafkaJvmsFor(held.dataDir)).toEqual([]);
    expect(await held.exited).toBe(143);
  });

  it('kill -9 of the harness: the JVMs notice their parent is gone and remove the data dir', async () => {
    const held = await holdABroker({ brokers: 3 });
    expect(held.pids).toHaveLength(3);
    expect(kafkaJvmsFor(held.dataDir)).toHaveLength(3);

    process.kill(held.pid, 'SIGKILL');
    expect(await until(() => !held.pids.some(alive) && !existsSync(held.dataDir), 5_000)).toBe(true);
    expect(kafkaJvmsFor(held.dataDir)).toEqual([]);
  });

  it('a failed start (pinned port taken) reports the broker log path and its last lines, and cleans up', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)),
    );
    try {
      const error = await startNativeTestBroker({ port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerError);
      const brokerError = error as BrokerError;
      expect(brokerError.code).toBe('BROKER_START_FAILED');
      expect(brokerError.details.logFile).toMatch(/logs\/.+\/broker-1\.log$/);
      expect(existsSync(brokerError.details.logFile!)).toBe(true);
      expect(brokerError.details.logTail).toMatch(/\S/);
      expect(brokerError.message).toMatch(/failed to bind to 127\.0\.0\.1:\d+: Address already in use/);
      expect(brokerError.message).toContain(brokerError.details.logFile);
      const dataDir = /gamelan-kafka-[A-Za-z0-9]+/.exec(readFileSync(brokerError.details.logFile!, 'utf8'))?.[0];
      expect(dataDir).toBeDefined();
      expect(existsSync(join(tmpdir(), dataDir!))).toBe(false);
      expect(kafkaJvmsFor(dataDir!)).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});
