import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { platformaticNodeProblem } from '../../../harness/clients/client-choice.js';
import { createClient } from '../../../harness/clients/create-client.js';
import { encodeMemberAssignment } from '../../../harness/clients/platformatic/assignment.js';
import { isIdempotent } from '../../../harness/clients/platformatic/producer.js';
import { decodeMemberAssignment } from '../../../harness/clients/member-assignment.js';
import { ConfigError } from '../../../harness/errors.js';

describe('createClient', () => {
  const options = { clientId: 'unit', brokers: ['127.0.0.1:1'] } as const;

  it('makes a kafkajs client by default, whose producers, consumers and admins are made without connecting', () => {
    const client = createClient(options);
    expect(typeof client.producer().send).toBe('function');
    expect(typeof client.consumer({ groupId: 'g' }).commitOffsets).toBe('function');
    expect(typeof client.admin().describeGroups).toBe('function');
  });

  it('refuses the KIP-848 group protocol on kafkajs, saying which client speaks it', () => {
    const client = createClient({ ...options, kind: 'kafkajs' });
    expect(() => client.consumer({ groupId: 'g', groupProtocol: 'consumer' })).toThrow(ConfigError);
    expect(() => client.consumer({ groupId: 'g', groupProtocol: 'consumer' })).toThrow(/platformatic/);
    expect(() => client.consumer({ groupId: 'g', groupProtocol: 'classic' })).not.toThrow();
  });

  it('says which clients exist for an unknown kind, and which Node the platformatic one needs', () => {
    if (platformaticNodeProblem())
      expect(() => createClient({ ...options, kind: 'platformatic' })).toThrow(/needs Node 22\.22\+ or 24\.6\+/);
    else expect(typeof createClient({ ...options, kind: 'platformatic' }).producer().send).toBe('function');
    expect(() => createClient({ ...options, kind: 'rdkafka' as never })).toThrow(/allowed: kafkajs, platformatic/);
  });
});

describe('decodeMemberAssignment', () => {
  it("reads what kafkajs's own assigner protocol writes", () => {
    const assignment = { 'gamelan.tasks': [0, 2, 5], 'gamelan.results': [1] };
    const bytes = AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.from('x') });
    expect(decodeMemberAssignment(bytes)).toEqual(assignment);
  });

  it("reads what the platformatic adapter encodes from the library's decoded assignment", () => {
    const assignment = { 'gamelan.tasks': [0, 2, 5], 'gamelan.results': [1] };
    expect(
      decodeMemberAssignment(
        encodeMemberAssignment(Object.entries(assignment).map(([topic, partitions]) => ({ topic, partitions }))),
      ),
    ).toEqual(assignment);
  });

  it('answers null for an empty (KIP-848 or unassigned) member and for truncated bytes', () => {
    expect(decodeMemberAssignment(Buffer.alloc(0))).toBeNull();
    const bytes = AssignerProtocol.MemberAssignment.encode({
      version: 1,
      assignment: { t: [0, 1] },
      userData: Buffer.alloc(0),
    });
    expect(decodeMemberAssignment(bytes.subarray(0, bytes.length - 10))).toBeNull();
  });

  it('platformatic producers are idempotent unless asked for 0 or 1 retries, which the library would make endless', () => {
    expect(isIdempotent({})).toBe(true);
    expect(isIdempotent({ retry: { retries: 2 } })).toBe(true);
    expect(isIdempotent({ retry: { retries: 1 } })).toBe(false);
    expect(isIdempotent({ retry: { retries: 0 } })).toBe(false);
    expect(isIdempotent({ idempotent: false })).toBe(false);
    expect(isIdempotent({}, { retries: 0 })).toBe(false); // the client's retry policy, when the producer has none
    expect(() => isIdempotent({ idempotent: true, retry: { retries: 1 } })).toThrow(
      /retry\.retries 1 would retry without end .*allowed: retries of 2 or more, or idempotent false/,
    );
  });
});
