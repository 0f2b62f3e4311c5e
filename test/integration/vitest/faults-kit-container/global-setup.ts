import { createGlobalSetup } from '../../../../harness/vitest/global-setup.js';

// As a user writes it: three Kafka containers behind Toxiproxy for the whole run.
export default createGlobalSetup({ faultProxy: true, kafka: 'container', brokers: 3 });
