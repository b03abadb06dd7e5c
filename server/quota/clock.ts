/** Milliseconds since the epoch; tests pass a clock they move by hand. */
export type Clock = () => number;

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** The UTC day of `ms`, 'YYYY-MM-DD'. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The UTC day `days` before the day of `ms`. */
export const daysBefore = (ms: number, days: number): string => utcDay(ms - days * DAY_MS);

/** Milliseconds until the next UTC midnight. */
export const untilMidnight = (ms: number): number => DAY_MS - (ms % DAY_MS);
