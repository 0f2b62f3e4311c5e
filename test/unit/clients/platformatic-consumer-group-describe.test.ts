import { describe, expect, it } from 'vitest';
import { consumerProtocolGroupOf } from '../../../harness/clients/platformatic/consumer-group-describe.js';

// How a ConsumerGroupDescribe answer (as @platformatic/kafka's raw API parses it) reads in the harness's words. The
// request itself runs against a real broker in test/integration/cli/group-protocol.test.ts.

const topicId = '00000000-0000-0000-0000-000000000000';
const member = (memberId: string, partitions: Record<string, number[]>, target: Record<string, number[]> = {}) => ({
  memberId,
  instanceId: null,
  rackId: null,
  memberEpoch: 4,
  clientId: `client-${memberId}`,
  clientHost: '/127.0.0.1',
  subscribedTopicNames: Object.keys(partitions),
  subscribedTopicRegex: null,
  assignment: {
    topicPartitions: Object.entries(partitions).map(([topicName, p]) => ({ topicId, topicName, partitions: p })),
  },
  targetAssignment: {
    topicPartitions: Object.entries(target).map(([topicName, p]) => ({ topicId, topicName, partitions: p })),
  },
});

describe('a ConsumerGroupDescribe answer from @platformatic/kafka', () => {
  it('gives the group, its state and epoch, and the partitions each member owns now (not its target), sorted', () => {
    const group = consumerProtocolGroupOf({
      errorCode: 0,
      errorMessage: null,
      groupId: 'g',
      groupState: 'Reconciling',
      groupEpoch: 7,
      assignmentEpoch: 7,
      assignorName: 'uniform',
      members: [
        member('m-b', { tasks: [2, 0] }, { tasks: [0] }),
        member('m-a', { tasks: [1], other: [] }, { tasks: [1, 2] }),
      ],
      authorizedOperations: -2147483648,
    });
    expect(group).toEqual({
      groupId: 'g',
      state: 'Reconciling',
      groupEpoch: 7,
      members: [
        {
          memberId: 'm-a',
          clientId: 'client-m-a',
          clientHost: '/127.0.0.1',
          memberEpoch: 4,
          assignment: { tasks: [1], other: [] },
        },
        {
          memberId: 'm-b',
          clientId: 'client-m-b',
          clientHost: '/127.0.0.1',
          memberEpoch: 4,
          assignment: { tasks: [0, 2] },
        },
      ],
    });
  });
});
