/**
 * Timers that run only when a test says so: `tick(ms)` fires what falls due, in order.
 * Installed over the globals for one test and removed in its teardown; handles it did not
 * make (tap's own timers) go to the real clear functions.
 */
interface Timer {
  at: number;
  run: () => void;
  every?: number;
}

export interface FakeClock {
  /** Advances time, firing every timer that falls due (intervals repeat). */
  tick(ms: number): void;
  /** Delays from now of the timers still waiting, soonest first. */
  pending(): number[];
  uninstall(): void;
}

export function installFakeClock(): FakeClock {
  const real = { setTimeout, clearTimeout, setInterval, clearInterval };
  const timers = new Map<number, Timer>();
  let now = 0;
  let nextId = 1;

  const add = (run: () => void, ms = 0, repeat = false): number => {
    const id = nextId++;
    timers.set(id, { at: now + Math.max(0, ms), run, every: repeat ? Math.max(1, ms) : undefined });
    return id;
  };
  const clear = (handle: unknown) => {
    if (typeof handle === 'number') timers.delete(handle);
    else real.clearTimeout(handle as ReturnType<typeof setTimeout>);
  };
  const g = globalThis as Record<string, unknown>;
  g.setTimeout = (run: () => void, ms?: number) => add(run, ms);
  g.setInterval = (run: () => void, ms?: number) => add(run, ms, true);
  g.clearTimeout = clear;
  g.clearInterval = clear;

  return {
    tick(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
        if (!due) break;
        const [id, timer] = due;
        now = timer.at;
        if (timer.every) timer.at += timer.every;
        else timers.delete(id);
        timer.run();
      }
      now = end;
    },
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    uninstall: () => Object.assign(globalThis, real),
  };
}
