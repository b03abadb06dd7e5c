/**
 * A one-consumer async queue: the engine pushes events as worker messages arrive and the
 * caller pulls them with `for await`. Ends with end() or with an error thrown to the caller.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((error: unknown) => void) | null = null;
  private ended = false;
  private error: { reason: unknown } | null = null;

  push(item: T): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting !== null) {
      this.clearWaiting();
      waiting({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    this.clearWaiting();
    waiting?.({ value: undefined, done: true });
  }

  fail(reason: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = { reason };
    const failWaiting = this.failWaiting;
    this.clearWaiting();
    failWaiting?.(reason);
  }

  get closed(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.error !== null) return Promise.reject(this.error.reason);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
    };
  }

  private clearWaiting(): void {
    this.waiting = null;
    this.failWaiting = null;
  }
}
