import { describe, expect, it } from 'vitest';
import { useFaults } from '../../harness/vitest/index.js';

// The kit's global setup starts its broker without a fault proxy: useFaults() says which option to set.
const faults = useFaults();

describe('useFaults() without a fault proxy', () => {
  it('throws naming createGlobalSetup({ faultProxy: true })', () => {
    expect(() => faults()).toThrow(/without a fault proxy.*createGlobalSetup\(\{ faultProxy: true \}\)/s);
    try {
      faults();
    } catch (error) {
      expect((error as { code?: string }).code).toBe('FAULT_PROXY_UNAVAILABLE');
    }
  });
});
