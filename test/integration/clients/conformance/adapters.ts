import { CLIENT_KINDS, type ClientKind } from '../../../../harness/clients/client-api.js';
import { platformaticNodeProblem } from '../../../../harness/clients/client-choice.js';

/** Narrows the adapters a run plays (comma-separated kinds): CI's Node 24 part plays only the one Node 20 cannot. */
const ONLY_ENV = 'GAMELAN_CONFORMANCE_CLIENTS';

/**
 * The client adapters that run on this Node, for `describe.each`: every kind of CLIENT_KINDS, less the ones this
 * Node cannot run and the ones GAMELAN_CONFORMANCE_CLIENTS leaves out (each named on stderr with why, so a Node 20
 * run says the platformatic half was skipped).
 */
export function adaptersOnThisNode(what: string): ClientKind[] {
  const only = process.env[ONLY_ENV]?.split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  return CLIENT_KINDS.filter((kind) => {
    const problem =
      only && !only.includes(kind)
        ? `${ONLY_ENV}=${only.join(',')} (this run leaves it to another)`
        : kind === 'platformatic'
          ? platformaticNodeProblem()
          : undefined;
    if (problem) console.warn(`[skip] ${what} with --client ${kind}: ${problem}`);
    return problem === undefined;
  });
}
