import { createGlobalSetup } from '../../../../harness/vitest/global-setup.js';

// As a user writes it: one native broker behind Toxiproxy for the whole run.
export default createGlobalSetup({ faultProxy: true });
