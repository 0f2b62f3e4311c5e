import type { Admin as PltAdmin, consumerGroupDescribeV0 } from '@platformatic/kafka';
import { TopicError } from '../../errors.js';
import type { ConsumerProtocolGroup } from '../client-api.js';
import type { PlatformaticKafka } from './load.js';

// Kafka 4's consumer group protocol (KIP-848) on @platformatic/kafka. Its Admin (2.12.1) has no call for
// ConsumerGroupDescribe (API 69), but its root entry exports the API itself (`consumerGroupDescribeV0`) and the
// Base extension symbol `kGetConnection`: the request goes to the group's coordinator (the Admin's public
// `findCoordinator`) over a connection of the Admin's own pool, so TLS, SASL and the pool's lifetime are the Admin's.

const API_KEY = 69;
const GROUP_ID_NOT_FOUND = 69;

type ConsumerGroupDescribeResponse = consumerGroupDescribeV0.ConsumerGroupDescribeResponse;
type DescribedGroupAnswer = ConsumerGroupDescribeResponse['groups'][number];

/** Whether each admin's cluster answers ConsumerGroupDescribe (asked once per admin). */
const speaksConsumerProtocol = new WeakMap<PltAdmin, Promise<boolean>>();

function answersConsumerGroupDescribe(admin: PltAdmin): Promise<boolean> {
  let known = speaksConsumerProtocol.get(admin);
  if (!known) {
    known = admin.listApis().then((apis) => apis.some((a) => a.apiKey === API_KEY));
    known.catch(() => speaksConsumerProtocol.delete(admin));
    speaksConsumerProtocol.set(admin, known);
  }
  return known;
}

/** One group of a ConsumerGroupDescribe v0 answer in the harness's words (assignments by topic name, sorted). */
export function consumerProtocolGroupOf(group: DescribedGroupAnswer): ConsumerProtocolGroup {
  const members = group.members
    .map((m) => {
      const assignment: Record<string, number[]> = {};
      for (const tp of m.assignment.topicPartitions)
        assignment[tp.topicName] = [...tp.partitions].sort((a, b) => a - b);
      return {
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberEpoch: m.memberEpoch,
        assignment,
      };
    })
    .sort((a, b) => a.memberId.localeCompare(b.memberId));
  return { groupId: group.groupId, state: group.groupState, groupEpoch: group.groupEpoch, members };
}

/** The answer's groups; a group-level error makes the library throw, with the whole answer attached. */
async function ask(plt: PlatformaticKafka, admin: PltAdmin, groupId: string): Promise<DescribedGroupAnswer[]> {
  const [coordinator] = await admin.findCoordinator({ keyType: plt.FindCoordinatorKeyTypes.GROUP, keys: [groupId] });
  if (!coordinator) return [];
  const connection = await new Promise<Parameters<typeof plt.consumerGroupDescribeV0.api.async>[0]>((resolve, reject) =>
    admin[plt.kGetConnection]({ host: coordinator.host, port: coordinator.port }, (error, made) =>
      error ? reject(error) : resolve(made!),
    ),
  );
  try {
    return (await plt.consumerGroupDescribeV0.api.async(connection, [groupId], false)).groups;
  } catch (error) {
    const answer = (error as { response?: ConsumerGroupDescribeResponse }).response;
    if (answer?.groups) return answer.groups;
    throw error;
  }
}

/**
 * The group as the consumer protocol describes it, or undefined when it is not a consumer-protocol group (none of
 * that id, a classic group, or a broker older than Kafka 4.0 that has no ConsumerGroupDescribe).
 */
export async function describeConsumerProtocolGroup(
  plt: PlatformaticKafka,
  admin: PltAdmin,
  groupId: string,
): Promise<ConsumerProtocolGroup | undefined> {
  if (!(await answersConsumerGroupDescribe(admin))) return undefined;
  const [group] = await ask(plt, admin, groupId);
  if (!group || group.errorCode === GROUP_ID_NOT_FOUND) return undefined;
  if (group.errorCode !== 0) {
    const why = group.errorMessage ? ` (${group.errorMessage})` : '';
    throw new TopicError(
      'TOPIC_READ_FAILED',
      `Describing consumer group "${groupId}" (consumer protocol) failed: Kafka error ${group.errorCode}${why}.`,
    );
  }
  return consumerProtocolGroupOf(group);
}
