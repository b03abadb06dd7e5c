/**
 * Main thread: hands out the PARALLEL sequence slots. When all are taken, requests wait in a
 * queue that is fair across users: the user served longest ago goes next (round-robin by user,
 * not first-come per request), so one user's burst cannot starve the others. Waiting callers
 * hear their position whenever it changes.
 */
import { EngineError } from '../engine-error.js';

export interface SchedulerOptions {
  /** Sequences that can generate at once (PARALLEL). */
  slots: number;
  /** Requests allowed to wait before `busy` (MAX_QUEUE). */
  maxQueue: number;
  /** Measured mean time a request holds a slot, for ETAs; undefined until measured. */
  serviceTimeMs(): number | undefined;
}

/** Called with the 1-based queue position and an estimated wait whenever the position changes. */
export type QueuedListener = (position: number, etaMs: number | undefined) => void;

/** Frees the slot; safe to call more than once. */
export type Release = () => void;

interface Waiter {
  userId: string;
  onQueued: QueuedListener;
  grant(release: Release): void;
  reject(error: Error): void;
  position: number;
}

/** Used for ETAs and retry hints before any request was measured. */
const DEFAULT_SERVICE_MS = 10_000;

export class FairScheduler {
  private active = 0;
  private readonly waiting = new Map<string, Waiter[]>();
  /** When each user was last granted a slot (a counter, not a time). */
  private readonly lastServed = new Map<string, number>();
  private served = 0;

  constructor(private readonly options: SchedulerOptions) {}

  get activeCount(): number {
    return this.active;
  }

  get queueDepth(): number {
    let depth = 0;
    for (const queue of this.waiting.values()) depth += queue.length;
    return depth;
  }

  /** Whether a request arriving now would have to wait. */
  mustWait(): boolean {
    return this.active >= this.options.slots || this.queueDepth > 0;
  }

  /** Fails every waiting request (the engine is closing). */
  rejectAll(error: Error): void {
    const waiters = this.order();
    this.waiting.clear();
    for (const waiter of waiters) waiter.reject(error);
  }

  /**
   * Resolves with a release function once a slot is this request's. Rejects with
   * EngineError('busy') when the queue is full, or with the signal's reason when aborted
   * while waiting.
   */
  acquire(userId: string, onQueued: QueuedListener, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.mustWait()) return Promise.resolve(this.grantTo(userId));
    if (this.queueDepth >= this.options.maxQueue) return Promise.reject(this.busy());
    return new Promise<Release>((resolve, reject) => {
      const onAbort = (): void => {
        this.remove(waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        userId,
        onQueued,
        position: 0,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const queue = this.waiting.get(userId) ?? [];
      queue.push(waiter);
      this.waiting.set(userId, queue);
      this.publishPositions();
    });
  }

  /** Suggested wait before retrying after `busy`, from measured throughput. */
  retryAfterMs(): number {
    const service = this.options.serviceTimeMs() ?? DEFAULT_SERVICE_MS;
    return Math.max(1000, Math.ceil((this.queueDepth + 1) / this.options.slots) * Math.round(service));
  }

  private busy(): EngineError {
    const retryAfterMs = this.retryAfterMs();
    return new EngineError(
      'busy',
      `The server is busy: ${this.queueDepth} requests are already waiting. Try again in about ${Math.ceil(retryAfterMs / 1000)} s.`,
      retryAfterMs,
    );
  }

  private grantTo(userId: string): Release {
    this.active++;
    this.lastServed.set(userId, ++this.served);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.dispatch();
    };
  }

  private dispatch(): void {
    let granted = false;
    while (this.active < this.options.slots) {
      const next = this.order()[0];
      if (next === undefined) break;
      this.remove(next, false);
      next.grant(this.grantTo(next.userId));
      granted = true;
    }
    if (granted) this.publishPositions();
  }

  private remove(waiter: Waiter, publish = true): void {
    const queue = this.waiting.get(waiter.userId);
    const index = queue?.indexOf(waiter) ?? -1;
    if (queue === undefined || index < 0) return;
    queue.splice(index, 1);
    if (queue.length === 0) this.waiting.delete(waiter.userId);
    if (publish) this.publishPositions();
  }

  /**
   * The order waiters will be served in: users by how long ago they were last served (never
   * first, then ties by arrival), taking one request from each user per round.
   */
  private order(): Waiter[] {
    const users = [...this.waiting.keys()].sort(
      (a, b) => (this.lastServed.get(a) ?? 0) - (this.lastServed.get(b) ?? 0),
    );
    const order: Waiter[] = [];
    let round = users.map((user) => this.waiting.get(user)!);
    for (let depth = 0; round.length > 0; depth++) {
      for (const queue of round) order.push(queue[depth]!);
      round = round.filter((queue) => queue.length > depth + 1);
    }
    return order;
  }

  private publishPositions(): void {
    const service = this.options.serviceTimeMs();
    this.order().forEach((waiter, index) => {
      const position = index + 1;
      if (waiter.position === position) return;
      waiter.position = position;
      // A slot frees about every service/slots ms while all are busy.
      const etaMs = service === undefined ? undefined : Math.round((position * service) / this.options.slots);
      waiter.onQueued(position, etaMs);
    });
  }
}
