/**
 * Tells a Redis read whether a flush ran at any time while it was in flight, so that an entry
 * read before the flush is not copied back into the memory tier after it.
 */
export class FlushGuard {
  /** Flushes running now, and a count that moves whenever one starts or ends. */
  private running = 0;
  private events = 0;

  /** Runs a flush under the guard. */
  async run<T>(flush: () => Promise<T>): Promise<T> {
    this.running += 1;
    this.events += 1;
    try {
      return await flush();
    } finally {
      this.running -= 1;
      this.events += 1;
    }
  }

  /** Taken before a read; `flushedSince` answers for the time after it. */
  mark(): { flushedSince(): boolean } {
    const eventsBefore = this.events;
    const flushRunning = this.running > 0;
    return { flushedSince: () => flushRunning || this.events !== eventsBefore };
  }
}
