import { AppError } from '../errors.js';

/** How long a client is told to wait before reconnecting after a restart. */
export const RESTART_RETRY_MS = 5000;
/** How long answers cut at the end of the grace period get to store what they have. */
const SETTLE_MS = 5000;
/** How long closing sockets get to send their last frame and finish the close handshake. */
const CLOSE_MS = 1000;

/** The failure of work refused or cut off because the server is shutting down. */
export const serverRestarting = (message = 'The server is restarting. Reconnect and try again in a few seconds.') =>
  new AppError(503, 'server_restarting', message, RESTART_RETRY_MS / 1000);

/** True when a run was aborted by the shutdown (its signal's reason), not by its client. */
export const cutByRestart = (signal: AbortSignal): boolean =>
  signal.aborted && signal.reason instanceof AppError && signal.reason.code === 'server_restarting';

interface Run {
  controller: AbortController;
  started: boolean;
}

/** What a tracked run is given: the signal to obey, and a call for when its answer starts. */
export interface TrackedRun {
  signal: AbortSignal;
  started(): void;
}

export type Drain = ReturnType<typeof createDrain>;

/**
 * A graceful shutdown's state: once draining, no new work is taken, queued work is cut at once,
 * running answers get a grace period to finish, then the rest are cut and every client is told.
 */
export function createDrain() {
  let draining = false;
  const runs = new Set<Run>();
  const sockets = new Set<() => Promise<void>>();
  let idle: Array<() => void> = [];

  const whenIdle = (ms: number) =>
    runs.size === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          idle.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });

  const cut = (run: Run) => run.controller.abort(serverRestarting('The server restarted; your answer was cut off.'));

  return {
    get draining(): boolean {
      return draining;
    },

    /** Runs `task` as one answer the shutdown waits for (and cuts); `outer` still aborts it too. */
    async track(outer: AbortSignal, task: (run: TrackedRun) => Promise<void>): Promise<void> {
      const run: Run = { controller: new AbortController(), started: false };
      const forward = () => run.controller.abort(outer.reason);
      if (outer.aborted) forward();
      else outer.addEventListener('abort', forward, { once: true });
      runs.add(run);
      if (draining) cut(run);
      try {
        await task({ signal: run.controller.signal, started: () => (run.started = true) });
      } finally {
        outer.removeEventListener('abort', forward);
        runs.delete(run);
        if (runs.size === 0) {
          for (const resolve of idle) resolve();
          idle = [];
        }
      }
    },

    /** Registers an open socket's closer (tell the client, then close); returns the unregister. */
    addSocket(close: () => Promise<void>): () => void {
      sockets.add(close);
      return () => sockets.delete(close);
    },

    /**
     * Stops taking work, cuts what waits in the queue, gives running answers `graceMs` to
     * finish, cuts the rest, then closes every socket. Resolves when that is done.
     */
    async drain(graceMs: number): Promise<void> {
      draining = true;
      for (const run of runs) if (!run.started) cut(run);
      await whenIdle(graceMs);
      for (const run of runs) cut(run);
      await whenIdle(SETTLE_MS);
      const closing = [...sockets].map((close) => close());
      sockets.clear();
      await Promise.race([
        Promise.allSettled(closing),
        new Promise((resolve) => setTimeout(resolve, CLOSE_MS).unref()),
      ]);
    },
  };
}
