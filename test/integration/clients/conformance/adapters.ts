import { CLIENT_KINDS, type ClientKind } from '../../../../harness/clients/client-api.js';
import { platformaticNodeProblem } from '../../../../harness/clients/client-choice.js';

/**
 * The client adapters that run on this Node, for `describe.each`: every kind of CLIENT_KINDS, less the ones this
 * Node cannot run (each named on stderr with why, so a Node 20 run says the platformatic half was skipped).
 */
export function adaptersOnThisNode(what: string): ClientKind[] {
  return CLIENT_KINDS.filter((kind) => {
    const problem = kind === 'platformatic' ? platformaticNodeProblem() : undefined;
    if (problem) console.warn(`[skip] ${what} with --client ${kind}: ${problem}`);
    return problem === undefined;
  });
}
