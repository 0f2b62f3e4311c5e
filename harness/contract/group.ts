import type { Admin } from '../clients/client-api.js';
import { describeGroup } from '../clients/group-describe.js';
import { ContractError, TimeoutError } from '../errors.js';
import { waitFor } from '../wait.js';

export interface JoinWaitOptions {
  readonly timeoutMs: number;
  /** Fails the wait at once (e.g. the executor process exited); returns why. */
  readonly gone?: () => string | undefined;
  /** Appended to the failure (e.g. the executor's last output). */
  readonly describe?: () => string;
}

/** Wait until the group (classic or consumer protocol) is Stable with at least one member, or fail saying what was seen. */
export async function waitForGroupJoin(
  admin: Admin,
  groupId: string,
  options: JoinWaitOptions,
): Promise<{ members: number }> {
  let last = 'not described yet';
  // waitFor retries a probe that throws, so an executor that is gone aborts the wait instead.
  const abort = new AbortController();
  try {
    return await waitFor(
      async () => {
        const gone = options.gone?.();
        if (gone) {
          abort.abort(
            new ContractError(
              'CONTRACT_EXECUTOR_NOT_JOINED',
              `${gone} before joining consumer group "${groupId}".${options.describe?.() ?? ''}`,
            ),
          );
          return undefined;
        }
        const group = await describeGroup(admin, groupId);
        last = `${group.protocol === null ? 'no such group' : `state ${group.state}`}, ${group.members.length} member(s)${group.protocol === 'consumer' ? ' (consumer protocol)' : ''}`;
        return group.state === 'Stable' && group.members.length > 0 ? { members: group.members.length } : undefined;
      },
      {
        timeoutMs: options.timeoutMs,
        intervalMs: 250,
        description: `consumer group "${groupId}" to be Stable with a member`,
        describeLast: () => last,
        signal: abort.signal,
      },
    );
  } catch (error) {
    if (error instanceof ContractError) throw error;
    if (abort.signal.reason instanceof ContractError) throw abort.signal.reason;
    if (error instanceof TimeoutError) {
      throw new ContractError(
        'CONTRACT_EXECUTOR_NOT_JOINED',
        `the executor did not join consumer group "${groupId}" within ${options.timeoutMs} ms (last seen: ${last}). ` +
          `It must subscribe to GAMELAN_TASKS_TOPIC with group id GAMELAN_GROUP_ID on GAMELAN_KAFKA_BOOTSTRAP_SERVERS.${options.describe?.() ?? ''}`,
        {},
        { cause: error },
      );
    }
    throw error;
  }
}
