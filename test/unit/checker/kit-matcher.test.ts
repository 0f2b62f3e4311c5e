import { describe, expect, it } from 'vitest';
import '../../../harness/vitest/index.js';
import { History } from './history.js';

describe('toHaveNoAnomalies', () => {
  it('is registered in the vitest kit', async () => {
    await expect(new History().cleanRun('r').messages).toHaveNoAnomalies();
    await expect(expect(new History().task('r', 'a').messages).toHaveNoAnomalies()).rejects.toThrow(/lost 1/);
    await expect(new History().task('r', 'a').messages).not.toHaveNoAnomalies();
  });
});
