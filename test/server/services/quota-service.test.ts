import t, { type Test } from 'tap';
import { createFailoverCounters } from '../../../server/quota/failover-counters.js';
import { QuotaRefused } from '../../../server/quota/rate-limit-error.js';
import { createQuotaService, type QuotaUser } from '../../../server/services/quota-service.js';
import type { Limits } from '../../../shared/contract/usage.js';

const UNLIMITED: Limits = { requestsPerMinute: null, tokensPerDay: null, concurrent: null, maxTokens: null };
const quiet = { info: () => undefined, warn: () => undefined };

/** A quota service on in-process counters, a clock the test moves, and limits it sets per user. */
function setup(limits: Record<string, Partial<Limits>>) {
  let time = Date.UTC(2025, 0, 1, 12, 0, 0);
  const counters = createFailoverCounters({ redisUrl: undefined, now: () => time, logger: quiet });
  const quota = createQuotaService({
    limitsOf: async (user) => ({ ...UNLIMITED, ...limits[user.id] }),
    counters,
    now: () => time,
  });
  return { quota, advance: (ms: number) => (time += ms), at: () => time };
}

const ann: QuotaUser = { id: 'ann', role: 'user' };
const bob: QuotaUser = { id: 'bob', role: 'user' };

async function refusal(t: Test, promise: Promise<unknown>): Promise<QuotaRefused> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(error instanceof QuotaRefused, 'refused');
  return error as QuotaRefused;
}

t.test('requests per minute: refused at the limit, fine again in the next minute', async (t) => {
  const { quota, advance } = setup({ ann: { requestsPerMinute: 3 } });
  for (let i = 0; i < 3; i++) (await quota.admit(ann)).release();
  const refused = await refusal(t, quota.admit(ann));
  t.equal(refused.limit, 'requests');
  t.equal(refused.statusCode, 429);
  t.equal(refused.retryAfterMs, 60_000, 'the window ends at the next whole minute');
  t.same(refused.state.requests, { limit: 3, remaining: 0, resetMs: 60_000 });
  t.ok(await quota.admit(bob), 'another user is unaffected');
  advance(30_000);
  t.equal((await refusal(t, quota.admit(ann))).retryAfterMs, 30_000);
  advance(30_000);
  const admitted = await quota.admit(ann);
  t.same(admitted.state.requests, { limit: 3, remaining: 2, resetMs: 60_000 }, 'a new window');
});

t.test('tokens per day: a running answer finishes, the next request is refused until midnight', async (t) => {
  const { quota, advance } = setup({ ann: { tokensPerDay: 100 } });
  const running = await quota.admit(ann);
  await quota.recordTokens('ann', 150); // the answer ran past the budget: allowed to finish
  running.release();
  const refused = await refusal(t, quota.admit(ann));
  t.equal(refused.limit, 'tokens');
  t.equal(refused.retryAfterMs, 12 * 3600_000, 'noon to midnight UTC');
  t.same(refused.state.tokens, { limit: 100, remaining: 0, resetMs: 12 * 3600_000 });
  t.equal(await quota.tokensToday('ann'), 150);
  t.ok(await quota.admit(bob), 'another user is unaffected');
  advance(12 * 3600_000);
  t.ok(await quota.admit(ann), 'a new day, a new budget');
  t.equal(await quota.tokensToday('ann'), 0);
});

t.test('concurrent: admitted and not yet released count; a release frees a slot', async (t) => {
  const { quota } = setup({ ann: { concurrent: 2 } });
  const first = await quota.admit(ann);
  const second = await quota.admit(ann);
  const refused = await refusal(t, quota.admit(ann));
  t.equal(refused.limit, 'concurrent');
  t.ok(refused.retryAfterMs > 0);
  t.ok(await quota.admit(bob), 'another user is unaffected');
  first.release();
  first.release(); // twice is once
  const third = await quota.admit(ann);
  await refusal(t, quota.admit(ann));
  second.release();
  third.release();
});

t.test('a refused request uses up nothing', async (t) => {
  const { quota } = setup({ ann: { requestsPerMinute: 2, concurrent: 1 } });
  const held = await quota.admit(ann);
  await refusal(t, quota.admit(ann)); // concurrent
  held.release();
  const next = await quota.admit(ann);
  t.equal(next.state.requests.remaining, 0, 'only the two admitted requests were counted');
});

t.test('maxTokens clamps the answer length; unlimited leaves it alone', async (t) => {
  const { quota } = setup({ ann: { maxTokens: 64 } });
  const limited = await quota.admit(ann);
  t.equal(limited.clampMaxTokens(undefined), 64);
  t.equal(limited.clampMaxTokens(500), 64);
  t.equal(limited.clampMaxTokens(10), 10);
  const free = await quota.admit(bob);
  t.equal(free.clampMaxTokens(undefined), undefined);
  t.equal(free.clampMaxTokens(500), 500);
});

t.test('refusals are reported by kind', async (t) => {
  const { quota } = setup({ ann: { requestsPerMinute: 1 } });
  const seen: string[] = [];
  quota.onRefused((limit) => seen.push(limit));
  await quota.admit(ann);
  await refusal(t, quota.admit(ann));
  t.same(seen, ['requests']);
  t.equal(quota.backend, 'memory');
});
