import { assertClientRuns, parseClientKind } from '../clients/client-choice.js';
import { resolveProvider, type SelectOptions } from './select.js';
import type { BrokerStartOptions, ProviderKind, StartedBroker } from './types.js';

/**
 * Pick the provider for `kind` and start a broker with it. Callers in the harness go through the
 * stack (harness/stack), the one place that chooses and starts a broker; this is its primitive.
 * Its own module, apart from brokers/index.ts, so a start imports only the provider it uses (the
 * index re-exports the container and compose providers, which load testcontainers).
 */
export async function startBroker(
  kind: ProviderKind,
  options: BrokerStartOptions = {},
  select: SelectOptions = {},
): Promise<StartedBroker> {
  // A client that cannot run here is refused before a broker starts (ClientUnavailableError).
  if (options.client !== undefined) assertClientRuns(parseClientKind(options.client, 'client'));
  const provider = await resolveProvider(kind, select);
  return provider.start(options);
}
