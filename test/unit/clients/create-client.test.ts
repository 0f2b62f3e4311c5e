import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../harness/clients/create-client.js';
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

  it('says which clients exist for an unknown or not yet available kind', () => {
    expect(() => createClient({ ...options, kind: 'platformatic' })).toThrow(/not available yet/);
    expect(() => createClient({ ...options, kind: 'rdkafka' as never })).toThrow(/allowed: kafkajs, platformatic/);
  });
});

describe('decodeMemberAssignment', () => {
  it("reads what kafkajs's own assigner protocol writes", () => {
    const assignment = { 'gamelan.tasks': [0, 2, 5], 'gamelan.results': [1] };
    const bytes = AssignerProtocol.MemberAssignment.encode({ version: 1, assignment, userData: Buffer.from('x') });
    expect(decodeMemberAssignment(bytes)).toEqual(assignment);
  });

  it('answers null for an empty (KIP-848 or unassigned) member and for truncated bytes', () => {
    expect(decodeMemberAssignment(Buffer.alloc(0))).toBeNull();
    const bytes = AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: { t: [0, 1] }, userData: Buffer.alloc(0) });
    expect(decodeMemberAssignment(bytes.subarray(0, bytes.length - 10))).toBeNull();
  });
});
