import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chargeCard, startMockServices } from '../../../mocks/index.js';

const mocks = startMockServices();
afterAll(() => mocks.stop());
beforeEach(() => mocks.paymentGateway.heal());

describe('payment gateway mock', () => {
  it('charges', async () => {
    expect(await chargeCard(12.5)).toMatch(/^tx-\d+$/);
    expect(mocks.paymentGateway.state.charges.at(-1)).toMatchObject({ amount: 12.5, currency: 'EUR' });
  });

  it('fails with 5xx for the next N calls, then heals', async () => {
    mocks.paymentGateway.fail('server-error', 2);
    await expect(chargeCard(1)).rejects.toThrow('payment gateway answered 503');
    await expect(chargeCard(1)).rejects.toThrow('503');
    await expect(chargeCard(1)).resolves.toMatch(/^tx-/);
  });

  it('answers a malformed body', async () => {
    mocks.paymentGateway.fail('malformed-body', 1);
    await expect(chargeCard(1)).rejects.toThrow(SyntaxError);
  });

  it('adds latency', async () => {
    mocks.paymentGateway.fail('latency', 1, 300);
    const started = performance.now();
    await chargeCard(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('rejects an invalid amount with 422', async () => {
    await expect(chargeCard(-1)).rejects.toThrow('422');
  });

  it('fails loudly on requests nobody mocked', async () => {
    await expect(fetch('http://unmocked.gamelan.test/x')).rejects.toThrow();
    expect(mocks.unhandled).toContain('GET http://unmocked.gamelan.test/x');
  });
});
