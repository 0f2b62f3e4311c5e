import { BrokerError } from '../errors.js';
import { dockerEngineAnswers } from './docker.js';
import type { Env } from './native/cache.js';
import type { BrokerProvider, BrokerStartOptions, StartedBroker } from './types.js';

// Placeholder until the container provider's own issue lands: it reports why it cannot run, so
// `auto` moves on to native and `doctor` explains, and it keeps the slot in the provider table.

export const CONTAINER_NOT_IMPLEMENTED = 'the container provider is not implemented yet (it comes in its own issue); use --kafka native or external';

export class ContainerBrokerProvider implements BrokerProvider {
  readonly kind: 'container' | 'compose';
  readonly #env: Env;

  constructor(kind: 'container' | 'compose' = 'container', env: Env = process.env) {
    this.kind = kind;
    this.#env = env;
  }

  async unavailableReason(): Promise<string | undefined> {
    const docker = await dockerEngineAnswers(this.#env);
    return docker.answering ? `${docker.detail} answers, but ${CONTAINER_NOT_IMPLEMENTED}` : `${docker.detail}; also, ${CONTAINER_NOT_IMPLEMENTED}`;
  }

  async start(_options?: BrokerStartOptions): Promise<StartedBroker> {
    throw new BrokerError('PROVIDER_UNAVAILABLE', `--kafka ${this.kind}: ${CONTAINER_NOT_IMPLEMENTED}.`);
  }
}
