import { delay, http, HttpResponse } from './msw.js';

// The external HTTP service the payment executors call, mocked with msw. Scenarios switch fault
// modes at runtime to see how executors and the engine cope (retries, timeouts, DLQ).

export const PAYMENT_GATEWAY_URL = 'http://payment-gateway.gamelan.test';

export const PAYMENT_FAULTS = ['none', 'server-error', 'latency', 'malformed-body'] as const;
export type PaymentFault = (typeof PAYMENT_FAULTS)[number];

export interface PaymentGatewayState {
  fault: PaymentFault;
  /** How many calls the fault applies to before the gateway is healthy again (Infinity: all). */
  remaining: number;
  latencyMs: number;
  readonly charges: { readonly amount: number; readonly currency: string; readonly transactionId: string }[];
  calls: number;
}

export function createPaymentGateway() {
  const state: PaymentGatewayState = { fault: 'none', remaining: 0, latencyMs: 2_000, charges: [], calls: 0 };

  const handlers = [
    http.post(`${PAYMENT_GATEWAY_URL}/v1/charges`, async ({ request }) => {
      state.calls += 1;
      const fault = state.remaining > 0 ? state.fault : 'none';
      if (fault !== 'none') state.remaining -= 1;
      if (fault === 'server-error') {
        return HttpResponse.json({ error: 'gateway unavailable' }, { status: 503 });
      }
      if (fault === 'latency') await delay(state.latencyMs);
      if (fault === 'malformed-body') {
        return new HttpResponse('{"transactionId": ', { status: 200, headers: { 'content-type': 'application/json' } });
      }
      const body = (await request.json()) as { amount?: unknown; currency?: unknown };
      if (typeof body.amount !== 'number' || body.amount <= 0) {
        return HttpResponse.json(
          { error: `amount must be a positive number, got ${JSON.stringify(body.amount)}` },
          { status: 422 },
        );
      }
      const charge = {
        amount: body.amount,
        currency: String(body.currency ?? 'EUR'),
        transactionId: `tx-${state.charges.length + 1}`,
      };
      state.charges.push(charge);
      return HttpResponse.json({ transactionId: charge.transactionId, status: 'CAPTURED' }, { status: 201 });
    }),
  ];

  return {
    handlers,
    state,
    /** Fail the next `times` calls (default: all of them) in this way. */
    fail(fault: PaymentFault, times = Number.POSITIVE_INFINITY, latencyMs = state.latencyMs) {
      state.fault = fault;
      state.remaining = times;
      state.latencyMs = latencyMs;
    },
    heal() {
      state.fault = 'none';
      state.remaining = 0;
    },
  };
}

export type PaymentGateway = ReturnType<typeof createPaymentGateway>;

/** What a payment executor does with the gateway: charge, or throw with the reason. */
export async function chargeCard(amount: number, currency = 'EUR', signal?: AbortSignal): Promise<string> {
  const response = await fetch(`${PAYMENT_GATEWAY_URL}/v1/charges`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount, currency }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw new Error(`payment gateway answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { transactionId?: unknown };
  if (typeof body.transactionId !== 'string') throw new Error('payment gateway answered without a transactionId');
  return body.transactionId;
}
