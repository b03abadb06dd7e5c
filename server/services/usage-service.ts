import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import { createWriteBatch } from '../db/write-batch.js';
import { addUsage, allUsageRows, pruneUsageBefore, userUsageRows } from '../db/repositories/usage.js';
import type { UsageDailyRow } from '../db/tables/usage-daily.table.js';
import { daysBefore, utcDay, type Clock } from '../quota/clock.js';
import type { AdminUsage, UsageDay, UsageFigures, UserUsage } from '../../shared/contract/usage.js';
import type { Done } from './answer-events.js';

/** Daily usage rows are kept this long. */
export const USAGE_KEEP_DAYS = 400;
/** The user's own page shows this many days. */
export const USAGE_PAGE_DAYS = 30;

export const ZERO: UsageFigures = {
  requests: 0,
  cacheHits: 0,
  promptTokens: 0,
  cachedPromptTokens: 0,
  completionTokens: 0,
  generationMs: 0,
};

/** Prompt tokens the model evaluated: those it reused from the previous turn cost nothing. */
export const evaluatedPromptTokens = (usage: Done['usage']) => usage.promptTokens - (usage.cachedPromptTokens ?? 0);

/**
 * Usage accounting: every finished answer adds to its user's day row. A cache hit counts as a
 * request and a hit and costs no tokens. Answers finishing together share one commit.
 */
export function createUsageService(db: Kysely<Database>, now: Clock) {
  const writes = createWriteBatch(db);

  return {
    async record(userId: string, done: Done, cached: boolean): Promise<void> {
      const row = {
        user_id: userId,
        day: utcDay(now()),
        requests: 1,
        cache_hits: cached ? 1 : 0,
        prompt_tokens: cached ? 0 : evaluatedPromptTokens(done.usage),
        cached_prompt_tokens: cached ? 0 : (done.usage.cachedPromptTokens ?? 0),
        completion_tokens: cached ? 0 : done.usage.completionTokens,
        generation_ms: cached ? 0 : Math.round(done.timings.totalMs),
      };
      await writes.transaction((trx) => addUsage(trx, row));
    },

    /** One user's last 30 days, oldest first, empty days as zeros; today is the last. */
    async days(userId: string): Promise<UsageDay[]> {
      const t = now();
      const rows = await userUsageRows(db, userId, daysBefore(t, USAGE_PAGE_DAYS - 1), utcDay(t));
      const byDay = new Map(rows.map((r) => [r.day, figures(r)]));
      return Array.from({ length: USAGE_PAGE_DAYS }, (_, i) => {
        const day = daysBefore(t, USAGE_PAGE_DAYS - 1 - i);
        return { day, ...(byDay.get(day) ?? ZERO) };
      });
    },

    /** Every user with use in from..to (defaults: the last 30 days), with today, 7 and 30 days. */
    async all(range: { from?: string; to?: string }): Promise<AdminUsage> {
      const t = now();
      const today = utcDay(t);
      const to = range.to ?? today;
      const from = range.from ?? daysBefore(t, USAGE_PAGE_DAYS - 1);
      const earliest = [from, daysBefore(t, USAGE_PAGE_DAYS - 1)].sort()[0]!;
      const latest = [to, today].sort()[1]!;
      const rows = await allUsageRows(db, earliest, latest);
      const last7 = daysBefore(t, 6);
      const last30 = daysBefore(t, USAGE_PAGE_DAYS - 1);
      const users = new Map<string, UserUsage>();
      for (const row of rows) {
        let user = users.get(row.user_id);
        if (!user) {
          user = {
            userId: row.user_id,
            username: row.username,
            today: { ...ZERO },
            last7Days: { ...ZERO },
            last30Days: { ...ZERO },
            range: { ...ZERO },
            cacheHitRate: 0,
          };
          users.set(row.user_id, user);
        }
        const f = figures(row);
        if (row.day === today) add(user.today, f);
        if (row.day >= last7 && row.day <= today) add(user.last7Days, f);
        if (row.day >= last30 && row.day <= today) add(user.last30Days, f);
        if (row.day >= from && row.day <= to) add(user.range, f);
      }
      const list = [...users.values()].filter((u) => u.range.requests > 0 || u.last30Days.requests > 0);
      for (const u of list) u.cacheHitRate = u.range.requests > 0 ? u.range.cacheHits / u.range.requests : 0;
      return { from, to, users: list.sort((a, b) => b.range.requests - a.range.requests) };
    },

    /** Drops rows older than USAGE_KEEP_DAYS; returns how many went. */
    prune(): Promise<number> {
      return pruneUsageBefore(db, daysBefore(now(), USAGE_KEEP_DAYS));
    },
  };
}

export type UsageService = ReturnType<typeof createUsageService>;

function figures(row: UsageDailyRow): UsageFigures {
  return {
    requests: row.requests,
    cacheHits: row.cache_hits,
    promptTokens: row.prompt_tokens,
    cachedPromptTokens: row.cached_prompt_tokens,
    completionTokens: row.completion_tokens,
    generationMs: row.generation_ms,
  };
}

function add(into: UsageFigures, f: UsageFigures): void {
  for (const key of Object.keys(into) as Array<keyof UsageFigures>) into[key] += f[key];
}
