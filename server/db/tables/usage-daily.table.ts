import type { Insertable, Selectable } from 'kysely';

/** One user's use of one UTC day, added to by every finished answer. */
export interface UsageDailyTable {
  user_id: string;
  /** 'YYYY-MM-DD', UTC. */
  day: string;
  requests: number;
  cache_hits: number;
  /** Prompt tokens the model evaluated (not those reused from the conversation's previous turn). */
  prompt_tokens: number;
  cached_prompt_tokens: number;
  completion_tokens: number;
  generation_ms: number;
}

export type UsageDailyRow = Selectable<UsageDailyTable>;
export type NewUsageDailyRow = Insertable<UsageDailyTable>;
