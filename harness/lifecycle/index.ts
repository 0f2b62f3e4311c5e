export { killAllSync, pendingCleanups, registerCleanup, stopAll, type CleanupResource } from './registry.js';
