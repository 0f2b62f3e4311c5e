import type { ClientSecurity } from '../config/security.js';
import { BrokerError } from '../errors.js';
import { securityFailure } from './security-failure.js';

// Ready means the cluster answers: an admin sees the expected number of (unfenced) brokers and an
// active controller. Polled, never slept on, never read from a log line.

export interface WaitForClusterOptions {
  readonly bootstrapServers: readonly string[];
  /** Brokers that must be visible; default 1. */
  readonly expectedBrokers?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Rejects when the cluster can no longer become ready (a broker JVM exited), to fail fast. */
  readonly failed?: Promise<never>;
  /** Extra words for the timeout message, e.g. where the logs are. */
  readonly hint?: string;
  /** How to connect (default plaintext). */
  readonly security?: ClientSecurity;
}

export interface ClusterInfo {
  readonly clusterId: string;
  readonly brokers: number;
  readonly controller: number;
}

export const DEFAULT_READY_TIMEOUT_MS = 60_000;
const POLL_MS = 50;

export async function waitForCluster(options: WaitForClusterOptions): Promise<ClusterInfo> {
  const expected = options.expectedBrokers ?? 1;
  const timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer yet';
  let refused = 0; // consecutive security refusals: an answer, just not a yes
  let stopped = false;
  const guard = Promise.race([options.failed ?? new Promise<never>(() => {}), abortPromise(options.signal)]).finally(
    () => {
      stopped = true;
    },
  );
  guard.catch(() => {}); // observed by the race below
  // The client is imported here, not at the top: a start spawns its brokers first and loads the client
  // while they boot. After the guard: a failure reported meanwhile is observed, not unhandled.
  const { createClient } = await import('../clients/create-client.js');
  if (stopped) return guard; // a node died or the start was aborted meanwhile: that is the answer
  // A throwaway client that fails fast: kafkajs' own retries would hide the poll cadence.
  const kafka = createClient({
    clientId: 'gamelan-harness-readiness',
    brokers: options.bootstrapServers,
    logLevel: 'nothing',
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
    security: options.security,
  });

  const poll = async (): Promise<ClusterInfo> => {
    while (!stopped) {
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length >= expected && cluster.controller !== null && cluster.controller >= 0) {
          return { clusterId: cluster.clusterId, brokers: cluster.brokers.length, controller: cluster.controller };
        }
        last = `${cluster.brokers.length}/${expected} brokers visible, controller ${String(cluster.controller)}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
        const denied = securityFailure(error, options.bootstrapServers, options.security);
        // Refused twice in a row: credentials or trust are wrong and waiting will not change that.
        if (denied && ++refused >= 2) throw denied;
        if (!denied) refused = 0;
      } finally {
        await admin.disconnect().catch(() => {});
      }
      if (performance.now() >= deadline) {
        throw new BrokerError(
          'BROKER_NOT_READY',
          `Kafka at ${options.bootstrapServers.join(',')} was not ready within ${timeoutMs} ms ` +
            `(waiting for ${expected} broker(s) and a controller; last: ${last}).${options.hint ? ` ${options.hint}` : ''}`,
          {},
          { retriable: true },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new Error('readiness wait cancelled'); // unreachable in practice: the guard rejected first
  };
  return Promise.race([poll(), guard]);
}

function abortPromise(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
