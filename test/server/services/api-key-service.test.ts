import t from 'tap';
import { openDatabase } from '../../../server/db/database.js';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { createAuditLog } from '../../../server/services/audit-service.js';
import { createApiKeyService, hashApiKey, LAST_USED_INTERVAL_MS } from '../../../server/services/api-key-service.js';
import { createUserService } from '../../../server/services/user-service.js';
import { API_KEYS_PER_USER } from '../../../shared/contract/api-keys.js';
import { tempDir, type Teardown } from '../../helpers/app.js';

/** A migrated database, the services on it, and a clock the test moves by hand. */
async function setup(t: Teardown) {
  const db = openDatabase(tempDir(t));
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  const audit = createAuditLog(db);
  const users = createUserService(db, audit);
  const clock = { ms: Date.parse('2030-01-01T00:00:00.000Z') };
  const keys = createApiKeyService(db, audit, { now: () => new Date(clock.ms) });
  const alice = await users.create('root', 'alice', 'alice password', 'user');
  const bob = await users.create('root', 'bob', 'bob password 1', 'user');
  return { db, audit, users, keys, clock, alice, bob };
}

t.test('a key is pk- and 32 random bytes, shown once, stored as its sha256 only', async (t) => {
  const { db, keys, alice } = await setup(t);
  const created = await keys.create(alice, { name: 'editor' });
  t.match(created.key, /^pk-[A-Za-z0-9_-]{43}$/, '32 bytes of base64url');
  t.equal(created.prefix, created.key.slice(0, 11), 'the visible prefix is pk- and 8 characters');
  t.equal(created.expiresAt, null, 'no expiry: never');
  const row = await db.selectFrom('api_keys').selectAll().executeTakeFirstOrThrow();
  t.equal(row.key_hash, hashApiKey(created.key));
  t.notOk(Object.values(row).includes(created.key), 'the secret is not in the row');
  const listed = await keys.list(alice.id);
  t.same(
    listed.map((k) => k.id),
    [created.id],
  );
  t.notOk('key' in listed[0]!, 'listed without its secret');
});

t.test('authenticate: the user, or why not', async (t) => {
  const { db, keys, users, clock, alice } = await setup(t);
  const { key, id } = await keys.create(alice, { name: 'cli', expiresInDays: 30 });
  t.match(await keys.authenticate(key), {
    ok: true,
    user: { id: alice.id, username: 'alice', role: 'user' },
    keyId: id,
  });
  t.same(await keys.authenticate(key + 'x'), { ok: false, reason: 'invalid' });
  t.same(await keys.authenticate('not-a-key'), { ok: false, reason: 'invalid' });

  clock.ms += 30 * 86_400_000;
  t.same(await keys.authenticate(key), { ok: false, reason: 'expired' }, 'expired on the day');
  clock.ms -= 30 * 86_400_000;

  await users.update('root', alice.id, { apiAccess: false });
  t.same(await keys.authenticate(key), { ok: false, reason: 'api_access_off' });
  await users.update('root', alice.id, { apiAccess: true, disabled: true });
  t.same(await keys.authenticate(key), { ok: false, reason: 'user_disabled' });
  await users.update('root', alice.id, { disabled: false });
  t.equal((await keys.authenticate(key)).ok, true, 'back on with the account');

  await keys.revoke(alice, id);
  t.same(await keys.authenticate(key), { ok: false, reason: 'revoked' });

  const other = await keys.create(alice, { name: 'second' });
  await users.remove('root', alice.id);
  t.same(await keys.authenticate(other.key), { ok: false, reason: 'invalid' }, 'a deleted user takes their keys along');
  t.equal(Number((await db.selectFrom('api_keys').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 0);
});

t.test('last_used_at is written at most once a minute per key', async (t) => {
  const { db, keys, clock, alice } = await setup(t);
  const { key, id } = await keys.create(alice, { name: 'busy' });
  const lastUsed = async () =>
    (await db.selectFrom('api_keys').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow())
      .last_used_at;
  t.equal(await lastUsed(), null);
  await keys.authenticate(key);
  const first = await lastUsed();
  t.equal(first, new Date(clock.ms).toISOString());
  clock.ms += LAST_USED_INTERVAL_MS - 1;
  await keys.authenticate(key);
  t.equal(await lastUsed(), first, 'no write within the minute');
  clock.ms += 1;
  await keys.authenticate(key);
  t.equal(await lastUsed(), new Date(clock.ms).toISOString(), 'written again after it');
});

t.test('revoke: own keys only; admin revokes any; both audited', async (t) => {
  const { keys, audit, alice, bob } = await setup(t);
  const a = await keys.create(alice, { name: 'a' });
  const b = await keys.create(bob, { name: 'b' });
  await t.rejects(keys.revoke(bob, a.id), { name: 'AppError', statusCode: 404 }, "another user's key is not found");
  await t.rejects(keys.revoke(alice, 'no-such-id'), { name: 'AppError', statusCode: 404 });
  await keys.revoke(alice, a.id);
  await t.rejects(keys.revoke(alice, a.id), { name: 'AppError', statusCode: 404 }, 'revoked twice: gone');
  t.same(await keys.list(alice.id), [], 'a revoked key leaves the owner list');
  await keys.revokeAny('root', b.id);
  const all = await keys.listAll();
  t.same(all.map((k) => [k.username, k.name, k.revoked]).sort(), [
    ['alice', 'a', true],
    ['bob', 'b', true],
  ]);
  const entries = (await audit.list(10)).entries.filter((e) => e.action.startsWith('api_key.'));
  t.same(
    entries.map((e) => [e.actor, e.action, e.target]),
    [
      ['root', 'api_key.revoke', 'bob'],
      ['alice', 'api_key.revoke', 'alice'],
      ['bob', 'api_key.create', 'bob'],
      ['alice', 'api_key.create', 'alice'],
    ],
  );
  t.notMatch(JSON.stringify(entries), a.key, 'the secret is never audited');
});

t.test('limits: name, expiry range, keys per user', async (t) => {
  const { keys, clock, alice } = await setup(t);
  await t.rejects(keys.create(alice, { name: '   ' }), { name: 'AppError', statusCode: 400 });
  await t.rejects(keys.create(alice, { name: 'x'.repeat(65) }), { name: 'AppError', statusCode: 400 });
  await t.rejects(keys.create(alice, { name: 'x', expiresInDays: 0 }), { name: 'AppError', statusCode: 400 });
  await t.rejects(keys.create(alice, { name: 'x', expiresInDays: 3651 }), { name: 'AppError', statusCode: 400 });
  await t.rejects(keys.create(alice, { name: 'x', expiresInDays: 1.5 }), { name: 'AppError', statusCode: 400 });
  const long = await keys.create(alice, { name: 'x'.repeat(64), expiresInDays: 3650 });
  t.equal(long.expiresAt, new Date(clock.ms + 3650 * 86_400_000).toISOString());
  for (let i = 1; i < API_KEYS_PER_USER; i++)
    await keys.create(alice, { name: `k${i}`, expiresInDays: i === 1 ? 1 : undefined });
  await t.rejects(keys.create(alice, { name: 'one too many' }), { name: 'AppError', statusCode: 409 });
  clock.ms += 86_400_000;
  t.ok(await keys.create(alice, { name: 'after one expired' }), 'an expired key frees a place');
});
