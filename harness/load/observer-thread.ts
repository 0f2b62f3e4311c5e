import { moduleWorker, siblingModule } from '../lifecycle/module-worker.js';
import type { ClientSecurity } from '../config/security.js';
import { LoadError, TimeoutError } from '../errors.js';
import type { CompletionCheck, RunSeries } from './ledger.js';

// A CompletionObserver on a worker thread (observer-thread-main.ts), for the load generator: same check(),
// its own Kafka connection, none of the engine thread's CPU.

/** What driveLoad needs of an observer, on this thread or another. */
export interface RunObserver extends AsyncDisposable {
  /** Wait (up to timeoutMs) for every run of the series to end, then count lost and twice-completed tasks. */
  check(series: RunSeries, options: { readonly timeoutMs: number }): Promise<CompletionCheck>;
  stop(): Promise<void>;
}

export interface ObserverThreadOptions {
  readonly bootstrapServers: readonly string[];
  /** How to connect (the broker's security); structured-cloned to the thread. */
  readonly security: ClientSecurity;
  /** The events topic. */
  readonly topic: string;
  readonly clientId?: string;
  /** How long to wait for the thread's consumer to join its group (default 30 s). */
  readonly readyTimeoutMs?: number;
}

export interface ObserverThreadData {
  readonly bootstrapServers: readonly string[];
  readonly security: ClientSecurity;
  readonly topic: string;
  readonly clientId: string;
}
export type ObserverThreadRequest =
  | { readonly kind: 'check'; readonly id: number; readonly series: RunSeries; readonly timeoutMs: number }
  | { readonly kind: 'stop' };
export type ObserverThreadReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'checked'; readonly id: number; readonly result: CompletionCheck }
  | { readonly kind: 'failed'; readonly id?: number; readonly message: string }
  | { readonly kind: 'stopped' };

/** Start a CompletionObserver on its own thread; resolves once its consumer joined its group. */
export async function startObserverThread(options: ObserverThreadOptions): Promise<RunObserver> {
  const data: ObserverThreadData = {
    bootstrapServers: options.bootstrapServers,
    security: options.security,
    topic: options.topic,
    clientId: options.clientId ?? 'gamelan-load-observer',
  };
  const worker = moduleWorker(siblingModule('observer-thread-main', import.meta.url), { workerData: data });
  const checks = new Map<number, { resolve: (check: CompletionCheck) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let stopping: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const failAll = (message: string) => {
    for (const pending of checks.values()) pending.reject(new LoadError(message));
    checks.clear();
  };
  worker.on('error', (error) => failAll(`the load observer's thread failed: ${error.message}`));
  void exited.then(() => failAll("the load observer's thread exited"));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(
        new TimeoutError(
          `the load observer did not join its group on ${options.topic} within ${options.readyTimeoutMs ?? 30_000} ms`,
        ),
      );
    }, options.readyTimeoutMs ?? 30_000);
    const onMessage = (message: ObserverThreadReply) => {
      if (message.kind !== 'ready' && message.kind !== 'failed') return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      if (message.kind === 'ready') resolve();
      else {
        void worker.terminate();
        reject(new LoadError(`the load observer could not start: ${message.message}`));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(new LoadError(`the load observer's thread failed: ${error.message}`));
    });
  });
  worker.on('message', (message: ObserverThreadReply) => {
    if ((message.kind === 'checked' || message.kind === 'failed') && message.id !== undefined) {
      const pending = checks.get(message.id);
      checks.delete(message.id);
      if (message.kind === 'checked') pending?.resolve(message.result);
      else pending?.reject(new LoadError(`the load observer's check failed: ${message.message}`));
    }
  });
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      worker.postMessage({ kind: 'stop' } satisfies ObserverThreadRequest);
      // It leaves its group and ends; a thread that does not is ended (it holds nothing else).
      const timer = setTimeout(() => void worker.terminate(), 10_000);
      await exited;
      clearTimeout(timer);
    })());
  return {
    check: (series, { timeoutMs }) =>
      new Promise<CompletionCheck>((resolve, reject) => {
        const id = nextId++;
        checks.set(id, { resolve, reject });
        worker.postMessage({ kind: 'check', id, series, timeoutMs } satisfies ObserverThreadRequest);
      }),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
