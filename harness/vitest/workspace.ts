import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { StartedBroker } from '../brokers/types.js';
import { HarnessError } from '../errors.js';
import { connectBroker } from '../stack/on-broker.js';
import { openWorkspace, type OpenWorkspaceOptions, type Workspace } from '../workspace/workspace.js';
import { gamelanKafka } from './inject.js';

// A workspace per test file on the global setup's broker: its own topics and groups, clients and starters,
// opened in beforeAll and stopped in afterAll with everything started from it.
//
//   const workspace = useWorkspace();
//   it('completes a run', async () => {
//     const { startEngine, startExecutor, startRecorder } = workspace();
//     ...
//   });

// Beside it, useFaults() (./faults.ts): network and broker faults for the file, when the global setup has a fault proxy.
export { useFaults, type UsedFaults, type UseFaultsOptions } from './faults.js';

/** Options of useWorkspace: those of openWorkspace, with the name defaulting to the test file's. */
export type UseWorkspaceOptions = Partial<OpenWorkspaceOptions>;

/**
 * Open a workspace for this test file (in beforeAll) on the broker of `gamelan-kafka-harness/vitest/global-setup`
 * and stop it after the file (afterAll). Returns an accessor to call inside tests and hooks.
 */
export function useWorkspace(options: UseWorkspaceOptions = {}): () => Workspace {
  let broker: StartedBroker | undefined;
  let workspace: Workspace | undefined;
  beforeAll(async () => {
    const shared = gamelanKafka();
    broker = await connectBroker(shared.bootstrapServers, shared.security, shared.client);
    workspace = await openWorkspace(broker, shared.config, { ...options, name: options.name ?? testFileName() });
  });
  afterAll(async () => {
    await workspace?.stop();
    await broker?.stop(); // only our clients: the global setup's broker stays up for the other files
  });
  return () => {
    if (!workspace) {
      throw new HarnessError(
        'BROKER_STATE_NOT_FOUND',
        'useWorkspace(): the workspace is opened in beforeAll; call the accessor inside a test or a hook, not while the file is collected.',
      );
    }
    return workspace;
  };
}

/** `orders.test.ts` → `orders` (a readable prefix), or `vitest` when vitest does not say. */
function testFileName(): string {
  const file = expect.getState().testPath;
  return file ? path.basename(file).replace(/\.(test|spec)\.[cm]?[jt]sx?$/, '') : 'vitest';
}
