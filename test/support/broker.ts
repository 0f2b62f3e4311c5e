import { bootstrapServersFromEnv } from '../../harness/config/bootstrap.js';
import {
  startBroker,
  NativeBrokerProvider,
  PROVIDER_KINDS,
  type BrokerStartOptions,
  type ProviderKind,
  type StartedBroker,
  type StartedNativeBroker,
} from '../../harness/brokers/index.js';

// One broker per integration test file (beforeAll/afterAll). GAMELAN_TEST_KAFKA picks the provider
// (e.g. GAMELAN_TEST_KAFKA=container runs the whole suite in containers). Unset: external when
// bootstrap servers are set, else native where a JDK is found (1 s per start against ~5.5 s for a
// container, so the suite stays fast when Docker is also there), else auto. The container and
// compose providers have their own tests in test/integration/container.

export function testProviderKind(env = process.env): ProviderKind {
  const kind = env.GAMELAN_TEST_KAFKA ?? 'auto';
  if (!(PROVIDER_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`GAMELAN_TEST_KAFKA=${kind} is not one of ${PROVIDER_KINDS.join(', ')}`);
  }
  return kind as ProviderKind;
}

/** The provider integration tests use: GAMELAN_TEST_KAFKA or external servers when set, else native where a JDK is found, else auto. */
export async function testBrokerKind(): Promise<ProviderKind> {
  const kind = testProviderKind();
  if (kind !== 'auto' || process.env.GAMELAN_TEST_KAFKA !== undefined || bootstrapServersFromEnv(process.env))
    return kind;
  return (await new NativeBrokerProvider().unavailableReason()) === undefined ? 'native' : 'auto';
}

export async function startTestBroker(options: BrokerStartOptions = {}): Promise<StartedBroker> {
  return startBroker(await testBrokerKind(), options);
}

/** For tests that need the native provider itself (clusters, failover, data dirs, process lifecycle). */
export function startNativeTestBroker(options: BrokerStartOptions = {}): Promise<StartedNativeBroker> {
  return new NativeBrokerProvider().start(options);
}

/** Why native-only tests cannot run here (printed by the skip), or undefined. */
export async function nativeUnavailable(): Promise<string | undefined> {
  const reason = await new NativeBrokerProvider().unavailableReason();
  if (reason) console.warn(`[skip] native broker tests: ${reason}`);
  return reason;
}

/** A unique topic name per test, so tests sharing a broker never see each other's records. */
export function uniqueTopic(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
