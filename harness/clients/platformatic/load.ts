import { assertClientRuns, PLATFORMATIC_VERSION } from '../client-choice.js';
import { ClientUnavailableError } from '../../errors.js';

// The only module that loads @platformatic/kafka, and only when that client is chosen: a dynamic import after the
// Node check, so a process on Node 20 (or one that never chose it) never loads it, and a user who does not use it
// need not install it (it is an optional peer dependency).

export type PlatformaticKafka = typeof import('@platformatic/kafka');

let loading: Promise<PlatformaticKafka> | undefined;

/** @platformatic/kafka, loaded once; ClientUnavailableError (exit 2) on a Node it does not run on or when not installed. */
export function loadPlatformatic(): Promise<PlatformaticKafka> {
  assertClientRuns('platformatic');
  loading ??= import('@platformatic/kafka').catch((error: unknown) => {
    loading = undefined;
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new ClientUnavailableError(
        `--client platformatic: the package @platformatic/kafka is not installed. Install it beside the harness: npm install --save-dev @platformatic/kafka@${PLATFORMATIC_VERSION}.`,
        { client: 'platformatic', needsPackage: `@platformatic/kafka@${PLATFORMATIC_VERSION}` },
        { cause: error },
      );
    }
    throw error;
  });
  return loading;
}
