import { describe, expect, it } from 'vitest';
import { contractRunSettings } from '../../../harness/contract/run.js';

describe('contractRunSettings', () => {
  it('passes the settings that are set and leaves the unset ones absent', () => {
    const onProgress = () => {};
    expect(
      contractRunSettings({
        dialect: 'upstream',
        strictCompat: false,
        answerTimeoutMs: undefined,
        settleMs: 0,
        onProgress,
      }),
    ).toEqual({ dialect: 'upstream', settleMs: 0, onProgress });
    expect(Object.keys(contractRunSettings({ dialect: undefined, strictCompat: undefined }))).toEqual([]);
    expect(contractRunSettings({ strictCompat: true })).toEqual({ strictCompat: true });
  });
});
