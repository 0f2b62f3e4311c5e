// The producer-side batching kafkajs lacks: records accumulate and go out together in one produce
// request, as the Java producer's RecordAccumulator does with linger.ms and batch.size.
//
//   - A batch is sent when linger.ms has passed since its first record, or as soon as it holds batch.size
//     bytes (counted over all partitions: it never waits longer than Java would), or on flush().
//   - Up to maxInFlight produce requests at once (Java's max.in.flight.requests.per.connection, 5): the
//     broker handles one connection's requests in order, so records keep the order they were appended in
//     on every partition unless a request fails and is retried (as in Java without idempotence; the
//     protocol producers use 1 so a retried request is never overtaken). What arrives while all are in
//     flight waits and then goes out together, up to maxRequestBytes.
//   - linger.ms=0 still coalesces what is appended in the same tick (Java's sender loop does the same).
//   - Each appended record's promise settles with the broker's answer for its batch (acks as configured).

/** Where one record went. */
export interface RecordPosition {
  readonly partition: number;
  readonly offset: string;
}

export interface LingerOptions<R> {
  readonly lingerMs: number;
  readonly batchBytes: number;
  /** Upper bound of one produce request (Java's max.request.size default: 1 MiB). */
  readonly maxRequestBytes?: number;
  /** Produce requests in flight at once (default 5, Java's max.in.flight.requests.per.connection). */
  readonly maxInFlight?: number;
  /** Send these records in one request; resolve with each record's position, in order. */
  readonly send: (records: readonly R[]) => Promise<readonly RecordPosition[]>;
}

interface Pending<R> {
  readonly record: R;
  readonly bytes: number;
  /** performance.now() at append: linger.ms counts from the batch's first record. */
  readonly at: number;
  readonly resolve: (position: RecordPosition) => void;
  readonly reject: (error: unknown) => void;
}

export class LingerBuffer<R> {
  readonly #options: LingerOptions<R>;
  #queue: Pending<R>[] = [];
  #queuedBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #flushRequested = false;
  readonly stats = { records: 0, requests: 0 };

  constructor(options: LingerOptions<R>) {
    this.#options = options;
  }

  /** Records waiting to be sent (not yet in a request). */
  get queued(): number {
    return this.#queue.length;
  }

  append(record: R, bytes: number): Promise<RecordPosition> {
    return new Promise<RecordPosition>((resolve, reject) => {
      this.#queue.push({ record, bytes, at: performance.now(), resolve, reject });
      this.#queuedBytes += bytes;
      this.#schedule();
    });
  }

  /** Send what is queued now, without waiting for linger.ms; resolves when everything appended so far is answered. */
  async flush(): Promise<void> {
    this.#flushRequested = true;
    this.#kick();
    while (this.#inFlight.size > 0 || this.#queue.length > 0) {
      this.#kick();
      await Promise.race(this.#inFlight);
    }
    this.#flushRequested = false;
  }

  #full(): boolean {
    return this.#inFlight.size >= (this.#options.maxInFlight ?? 5);
  }

  #schedule(): void {
    if (this.#full()) return; // a request's completion sends what is ready
    if (this.#queuedBytes >= this.#options.batchBytes || this.#flushRequested) {
      this.#kick();
      if (this.#queue.length > 0 && !this.#full()) this.#schedule(); // more than one request's worth
    } else if (this.#options.lingerMs === 0) {
      // Coalesce what is appended in the same tick (and what waited behind a request).
      this.#immediate ??= setImmediate(() => {
        this.#immediate = undefined;
        this.#kick();
      });
    } else {
      const due = this.#queue[0]!.at + this.#options.lingerMs - performance.now();
      if (due <= 0) this.#kick();
      else
        this.#timer ??= setTimeout(() => {
          this.#timer = undefined;
          this.#kick();
        }, due);
    }
  }

  #kick(): void {
    if (this.#full() || this.#queue.length === 0) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = undefined;
    const max = this.#options.maxRequestBytes ?? 1_048_576;
    let bytes = 0;
    let count = 0;
    while (count < this.#queue.length && (count === 0 || bytes + this.#queue[count]!.bytes <= max))
      bytes += this.#queue[count++]!.bytes;
    const batch = this.#queue.splice(0, count);
    this.#queuedBytes -= bytes;
    this.stats.records += batch.length;
    this.stats.requests += 1;
    const request: Promise<void> = this.#options
      .send(batch.map((p) => p.record))
      .then(
        (positions) => batch.forEach((p, i) => p.resolve(positions[i]!)),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      )
      .finally(() => {
        this.#inFlight.delete(request);
        // What waited behind the request goes now if it is full or its linger is over; else when it is.
        if (this.#queue.length > 0) this.#schedule();
      });
    this.#inFlight.add(request);
  }
}
