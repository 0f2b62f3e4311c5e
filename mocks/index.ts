import { setupServer } from './msw.js';
import { createPaymentGateway, type PaymentGateway } from './payment-gateway.js';

export {
  chargeCard,
  createPaymentGateway,
  PAYMENT_FAULTS,
  PAYMENT_GATEWAY_URL,
  type PaymentFault,
  type PaymentGateway,
} from './payment-gateway.js';

export interface MockServices extends AsyncDisposable {
  readonly paymentGateway: PaymentGateway;
  /** Requests msw had no handler for: each one also failed loudly where it was made. */
  readonly unhandled: readonly string[];
  stop(): Promise<void>;
}

/**
 * Start the msw mocks of the HTTP services executors call. Unhandled requests are errors: an
 * executor calling a service nobody mocked fails loudly instead of reaching the network.
 */
export function startMockServices(): MockServices {
  const paymentGateway = createPaymentGateway();
  const unhandled: string[] = [];
  const server = setupServer(...paymentGateway.handlers);
  server.listen({
    onUnhandledRequest(request, print) {
      // The harness's own loopback services (the Toxiproxy API of fault injection) are not external services.
      if (/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(request.url)) return;
      unhandled.push(`${request.method} ${request.url}`);
      print.error();
    },
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    server.close();
  };
  return { paymentGateway, unhandled, stop, [Symbol.asyncDispose]: stop };
}
