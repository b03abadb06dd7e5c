/**
 * Main thread: hands out the PARALLEL sequence slots. When all are taken, requests wait in a
 * queue that is fair across users: the user served longest ago goes next (round-robin by user,
 * not first-come per request), so one user's burst cannot starve the others. Waiting callers
 * hear their position whenever it changes.
 *
 * Admission is fair too: a user holds at most `maxPerUser` requests (queued and running
 * together, across all their sockets), and when the queue is full the request refused is the
 * newest one of the user holding the most, not the newcomer's.
 */
import { EngineError } from '../engine-error.js';

export interface SchedulerOptions {
  /** Sequences that can generate at once (PARALLEL). */
  slots: number;
  /** Requests allowed to wait before `busy` (MAX_QUEUE). */
  maxQueue: number;
  /** Requests one user may have queued and running at once (MAX_PER_USER). */
  maxPerUser: number;
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
  /** Running requests per user (queued ones are counted from `waiting`). */
  private readonly activeByUser = new Map<string, number>();
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

  /**
   * Why a request of this user would be refused if it arrived now, or undefined if it would be
   * admitted. Advisory (lets a caller refuse before doing work): acquire decides.
   */
  refusal(userId: string): EngineError | undefined {
    if (this.held(userId) >= this.options.maxPerUser) return this.overUserLimit();
    if (!this.mustWait() || this.queueDepth < this.options.maxQueue) return undefined;
    return this.evictable(userId) ? undefined : this.busy();
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
    if (this.held(userId) >= this.options.maxPerUser) return Promise.reject(this.overUserLimit());
    if (!this.mustWait()) return Promise.resolve(this.grantTo(userId));
    if (this.queueDepth >= this.options.maxQueue) {
      const evicted = this.evictable(userId);
      if (evicted === undefined) return Promise.reject(this.busy());
      this.remove(evicted, false);
      evicted.reject(this.evictedBusy());
    }
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

  /** Requests the user has queued and running now. */
  private held(userId: string): number {
    return (this.activeByUser.get(userId) ?? 0) + (this.waiting.get(userId)?.length ?? 0);
  }

  /**
   * With the queue full, the waiter to refuse so that `userId` can wait instead: the newest
   * request of the user with the most queued, unless the newcomer would then hold as many.
   */
  private evictable(userId: string): Waiter | undefined {
    let heaviest: Waiter[] | undefined;
    for (const queue of this.waiting.values()) if (queue.length > (heaviest?.length ?? 0)) heaviest = queue;
    const mine = this.waiting.get(userId)?.length ?? 0;
    if (heaviest === undefined || heaviest.length - 1 < mine + 1) return undefined;
    return heaviest.at(-1);
  }

  private overUserLimit(): EngineError {
    const retryAfterMs = this.retryAfterMs();
    return new EngineError(
      'busy',
      `You already have ${this.options.maxPerUser} requests waiting or running, the per-user limit. Wait for one to finish.`,
      retryAfterMs,
    );
  }

  private evictedBusy(): EngineError {
    const retryAfterMs = this.retryAfterMs();
    return new EngineError(
      'busy',
      `The queue is full and shared fairly: your newest waiting request made room for another user's. Try again in about ${Math.ceil(retryAfterMs / 1000)} s.`,
      retryAfterMs,
    );
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
    this.activeByUser.set(userId, (this.activeByUser.get(userId) ?? 0) + 1);
    this.lastServed.set(userId, ++this.served);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const left = (this.activeByUser.get(userId) ?? 1) - 1;
      if (left === 0) this.activeByUser.delete(userId);
      else this.activeByUser.set(userId, left);
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
