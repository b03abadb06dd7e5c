import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { bearer, createUser, PASSWORD } from '../../../helpers/app.js';
import { startChatApp } from '../../../helpers/chat-app.js';
import type { ChatClient } from '../../../helpers/ws-client.js';
import { deleteUser } from '../../../../server/db/repositories/users.js';
import { REUSE_GRACE_SEC } from '../../../../server/services/refresh-token-service.js';

const LONG = { options: { maxTokens: 4000, temperature: 0.8, noCache: true } };

/** A sign-in of a user as a script makes it: its access token and refresh token. */
async function signIn(app: FastifyInstance, username: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
  return res.json<{ accessToken: string; refreshToken: string }>();
}

/** Starts an answer that runs until stopped, and waits for its first token. */
async function answering(client: ChatClient, id: string) {
  client.send({ type: 'chat', id, content: 'Tell me a very long story', ...LONG });
  return client.waitFor((f) => f.id === id && f.type === 'token');
}

async function answerStatus(app: FastifyInstance, messageId: string, settled: (status: string) => boolean) {
  const until = Date.now() + 10_000;
  for (;;) {
    const row = await app.db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirst();
    if (!row || settled(row.status) || Date.now() > until) return row?.status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The socket was told `unauthenticated` (nothing else went wrong), then closed with 4401, within a second. */
async function endedWithin(t: Test, client: ChatClient, startedAt: number, message: RegExp) {
  const closed = await client.waitClosed(1000);
  t.equal(closed.code, 4401, 'closed with the unauthenticated close code');
  t.ok(Date.now() - startedAt < 1000, 'within a second');
  const errors = client.frames.filter((f) => f.type === 'error');
  t.same(
    errors.map((f) => f.code),
    ['unauthenticated'],
    'one unauthenticated error frame, no internal',
  );
  t.match(errors[0]?.message, message, 'saying why');
}

t.test('a user disabled mid-answer is cut off at once; the answer is stored as stopped', async (t) => {
  const { app, token: admin, connect } = await startChatApp(t, { contextSize: 4096, maxTokens: 4000 });
  const bob = await createUser(app, admin, 'bob');
  const client = await connect(bob.token);
  await answering(client, 'r1');
  const start = client.frames.find((f) => f.type === 'start')!;

  const at = Date.now();
  const res = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${bob.id}`,
    headers: bearer(admin),
    payload: { disabled: true },
  });
  t.equal(res.statusCode, 200);
  await endedWithin(t, client, at, /disabled/);
  t.equal(
    await answerStatus(app, start.assistantMessageId as string, (s) => s !== 'pending'),
    'stopped',
    'the answer row is finished (with what was generated), not left pending',
  );
  t.equal(app.engine.stats().activeSequences, 0, 'the model stopped answering');
});

t.test("a deleted user's socket gets unauthenticated, never internal", async (t) => {
  const { app, token: admin, connect } = await startChatApp(t, { contextSize: 4096, maxTokens: 4000 });
  const bob = await createUser(app, admin, 'bob');
  const client = await connect(bob.token);
  await answering(client, 'r1');
  const at = Date.now();
  const res = await app.inject({ method: 'DELETE', url: `/api/admin/users/${bob.id}`, headers: bearer(admin) });
  t.equal(res.statusCode, 204);
  await endedWithin(t, client, at, /deleted/);

  // A turn stored for a user deleted behind the socket's back (no close reached it) is refused too.
  const carol = await createUser(app, admin, 'carol');
  const late = await connect(carol.token);
  await deleteUser(app.db, carol.id);
  late.send({ type: 'chat', id: 'r2', content: 'Anyone there?' });
  const frames = await late.finished('r2');
  t.match(frames, [{ type: 'error', id: 'r2', code: 'unauthenticated' }]);
});

t.test("signing out closes that session's sockets, not another session's of the same user", async (t) => {
  const { app, token: admin, connect } = await startChatApp(t, { contextSize: 4096, maxTokens: 4000 });
  await createUser(app, admin, 'bob');
  const [laptop, phone] = [await signIn(app, 'bob'), await signIn(app, 'bob')];
  const [onLaptop, alsoOnLaptop, onPhone] = [
    await connect(laptop.accessToken),
    await connect(laptop.accessToken),
    await connect(phone.accessToken),
  ];
  await answering(onLaptop, 'r1');

  const at = Date.now();
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    payload: { refreshToken: laptop.refreshToken },
  });
  t.equal(res.statusCode, 204);
  await endedWithin(t, onLaptop, at, /signed out/);
  await endedWithin(t, alsoOnLaptop, at, /signed out/);
  onPhone.send({ type: 'ping' });
  await onPhone.waitFor((f) => f.type === 'pong');
  t.equal(onPhone.closed, null, 'the other session stays connected');

  // Signing out by access token alone (no refresh token at hand) ends its session too.
  const at2 = Date.now();
  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(phone.accessToken) });
  await endedWithin(t, onPhone, at2, /signed out/);
});

t.test("a refresh token used again revokes its family and closes that family's sockets", async (t) => {
  const { app, token: admin, connect } = await startChatApp(t);
  await createUser(app, admin, 'bob');
  const stolen = await signIn(app, 'bob');
  const other = await signIn(app, 'bob');
  const refreshed = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: stolen.refreshToken },
  });
  const after = refreshed.json<{ accessToken: string }>();
  const [victim, bystander] = [await connect(after.accessToken), await connect(other.accessToken)];

  await app.db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date(Date.now() - (REUSE_GRACE_SEC + 1) * 1000).toISOString() })
    .where('revoked_at', 'is not', null)
    .execute();
  const at = Date.now();
  const reuse = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: stolen.refreshToken },
  });
  t.equal(reuse.statusCode, 401);
  await endedWithin(t, victim, at, /session was ended/);
  bystander.send({ type: 'ping' });
  await bystander.waitFor((f) => f.type === 'pong');
  t.equal(bystander.closed, null, "another sign-in's socket stays open");
});
