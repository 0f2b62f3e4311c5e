// `gamelan-kafka-harness/mocks`: msw mocks of the HTTP services executors call. The only entry that loads msw.
export {
  chargeCard,
  createPaymentGateway,
  PAYMENT_FAULTS,
  PAYMENT_GATEWAY_URL,
  startMockServices,
  type MockServices,
  type PaymentFault,
  type PaymentGateway,
} from '../../mocks/index.js';
