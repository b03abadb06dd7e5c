import t from 'tap';
import { LOGIN_POLICY, createLoginThrottle } from '../../../server/services/login-throttle.js';
import { createMemoryThrottleStore } from '../../../server/services/throttle-store.js';

function clocked() {
  let now = 1_000_000;
  const throttle = createLoginThrottle(createMemoryThrottleStore(() => now));
  return { throttle, advance: (ms: number) => (now += ms) };
}

t.test('parallel reservations for one user and address: only the allowed number get through', async (t) => {
  const { throttle } = clocked();
  const results = await Promise.all(Array.from({ length: 40 }, () => throttle.reserve('alice', '10.0.0.1')));
  t.equal(results.filter((r) => r.ok).length, LOGIN_POLICY.perAddress);
  const refused = results.filter((r) => !r.ok);
  t.ok(refused.every((r) => !r.ok && r.retryAfterSec > 0 && r.retryAfterSec <= 900));
});

t.test('the per-username bound holds across addresses; the name is case-insensitive', async (t) => {
  const { throttle } = clocked();
  let granted = 0;
  for (let a = 0; a < 10; a++) {
    for (let i = 0; i < LOGIN_POLICY.perAddress; i++) {
      const r = await throttle.reserve(a % 2 ? 'Alice' : 'alice', `10.0.0.${a}`);
      if (r.ok) {
        granted++;
        await r.attempt.failed();
      }
    }
  }
  t.equal(granted, LOGIN_POLICY.perUsername);
  t.ok((await throttle.reserve('bob', '10.0.0.1')).ok, 'another user is not held');
});

t.test('a refused username attempt is not charged to its address', async (t) => {
  const { throttle } = clocked();
  for (let a = 0; a < 4; a++) for (let i = 0; i < 5; i++) await throttle.reserve('alice', `10.0.1.${a}`);
  for (let i = 0; i < 3; i++) t.notOk((await throttle.reserve('alice', '10.0.2.1')).ok);
  t.equal((await throttle.reserve('alice', '10.0.2.1', { knownDevice: true })).ok, true, 'its own budget is untouched');
});

t.test('a known-good device passes the username bound, not its own address bound', async (t) => {
  const { throttle } = clocked();
  for (let a = 0; a < 4; a++) for (let i = 0; i < 5; i++) await throttle.reserve('alice', `10.0.1.${a}`);
  t.notOk((await throttle.reserve('alice', '192.168.1.5')).ok, 'a new device waits');
  let passed = 0;
  for (let i = 0; i < 7; i++) if ((await throttle.reserve('alice', '192.168.1.5', { knownDevice: true })).ok) passed++;
  t.equal(passed, LOGIN_POLICY.perAddress, 'still at most perAddress tries');
});

t.test('success clears its address count and does not use up the username budget', async (t) => {
  const { throttle } = clocked();
  for (let i = 0; i < 4; i++) {
    const r = await throttle.reserve('alice', '10.0.0.1');
    if (r.ok) await r.attempt.failed();
  }
  const good = await throttle.reserve('alice', '10.0.0.1');
  t.ok(good.ok);
  if (good.ok) await good.attempt.succeeded();
  let again = 0;
  for (let i = 0; i < 6; i++) if ((await throttle.reserve('alice', '10.0.0.1')).ok) again++;
  t.equal(again, 5, 'the address has its full budget again');
});

t.test('the window slides: attempts come back as old ones leave it (controllable clock)', async (t) => {
  const { throttle, advance } = clocked();
  for (let i = 0; i < 5; i++) {
    await throttle.reserve('alice', '10.0.0.1');
    advance(60_000);
  }
  const blocked = await throttle.reserve('alice', '10.0.0.1');
  t.notOk(blocked.ok);
  t.equal(!blocked.ok && blocked.retryAfterSec, 600, 'the oldest attempt leaves the window in 10 minutes');
  advance(599_000);
  t.notOk((await throttle.reserve('alice', '10.0.0.1')).ok);
  advance(1_000);
  t.ok((await throttle.reserve('alice', '10.0.0.1')).ok, 'one attempt is back');
  t.notOk((await throttle.reserve('alice', '10.0.0.1')).ok, 'and only one');
  advance(LOGIN_POLICY.windowMs);
  t.ok((await throttle.reserve('alice', '10.0.0.1')).ok, 'a quiet window forgets everything');
});
