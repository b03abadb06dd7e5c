import { now } from '../protocol.js';

/** Restart delays after consecutive crashes: 0.5 s doubling up to 30 s. */
const RESTART_BASE_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long resets the crash streak. */
const STABLE_AFTER_MS = 60_000;

/**
 * When a crashed inference worker is started again: at once after a long stable run, with a
 * doubling delay while it keeps crashing, so a model that kills its worker cannot spin the CPU.
 */
export class RestartBackoff {
  private crashStreak = 0;
  private workerStartedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private cancelWait: (() => void) | undefined;
  /** Restarts since the start. */
  restarts = 0;

  /** A worker was just started. */
  started(): void {
    this.workerStartedAt = now();
  }

  /** Counts a crash and resolves when the next worker may start (or at once on cancel). */
  afterCrash(): Promise<void> {
    if (now() - this.workerStartedAt > STABLE_AFTER_MS) this.crashStreak = 0;
    const delay = Math.min(RESTART_MAX_MS, RESTART_BASE_MS * 2 ** this.crashStreak++);
    this.restarts++;
    return new Promise<void>((resolve) => {
      this.timer = setTimeout(resolve, delay);
      this.cancelWait = resolve;
    });
  }

  /** Ends a pending wait now (the engine is closing). */
  cancel(): void {
    clearTimeout(this.timer);
    this.cancelWait?.();
  }
}
