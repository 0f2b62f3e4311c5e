import { FAULT_PROXY_KINDS, type FaultProxyKind, faultProxyUnavailable } from '../../harness/faults/index.js';

/** A fault proxy kind and, when it cannot be had here, why (the tests for it skip with that reason). */
export interface FaultProxyUnderTest {
  readonly kind: FaultProxyKind;
  readonly unavailable: string | undefined;
}

/**
 * Every fault proxy implementation (Toxiproxy, its container, the built-in one), so the same network-fault
 * tests run against each that this machine offers; a missing one is named with its reason on stderr.
 */
export async function faultProxiesUnderTest(what: string): Promise<readonly FaultProxyUnderTest[]> {
  const kinds = await Promise.all(
    FAULT_PROXY_KINDS.map(async (kind) => ({ kind, unavailable: await faultProxyUnavailable(kind) })),
  );
  for (const { kind, unavailable } of kinds)
    if (unavailable) console.warn(`[skip] ${what} through ${kind}: ${unavailable}`);
  return kinds;
}
