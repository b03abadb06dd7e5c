import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { bearer, buildTestApp, createUser, setupAdmin, TINY_ZEPHYR } from '../../../helpers/app.js';

// The official `openai` client is not installed yet: these calls are what it sends, over inject.
const INVALID_KEY = { error: { type: 'invalid_request_error', param: null, code: 'invalid_api_key', message: String } };

async function newKey(app: FastifyInstance, token: string, payload: Record<string, unknown> = { name: 'test' }) {
  const res = await app.inject({ method: 'POST', url: '/api/keys', headers: bearer(token), payload });
  if (res.statusCode !== 201) throw new Error(`create key failed: ${res.body}`);
  return res.json<{ id: string; key: string }>();
}

const models = (app: FastifyInstance, key?: string) =>
  app.inject({ url: '/v1/models', headers: key === undefined ? {} : bearer(key) });

t.test('/v1 with the tiny model loaded', async (t) => {
  const app = await buildTestApp(t, { modelPath: TINY_ZEPHYR, contextSize: 256, parallel: 1, threads: 1 });
  t.equal((await app.engine.ready()).state, 'ready');
  const admin = await setupAdmin(app);
  const alice = await createUser(app, admin, 'alice');

  t.test('a created key lists the loaded model in OpenAI shape', async (t) => {
    const { key } = await newKey(app, alice.token);
    const res = await models(app, key);
    t.equal(res.statusCode, 200);
    const body = res.json();
    t.same(Object.keys(body).sort(), ['data', 'object']);
    t.equal(body.object, 'list');
    t.equal(body.data.length, 1);
    t.match(body.data[0], { id: 'tiny-random-zephyr', object: 'model', created: Number, owned_by: 'pocketllm' });
    t.ok(
      Number.isInteger(body.data[0].created) && body.data[0].created < Date.now() / 1000 + 1,
      'created in unix seconds',
    );

    const one = await app.inject({ url: '/v1/models/tiny-random-zephyr', headers: bearer(key) });
    t.equal(one.statusCode, 200);
    t.same(one.json(), body.data[0]);
    const unknown = await app.inject({ url: '/v1/models/gpt-4o', headers: bearer(key) });
    t.equal(unknown.statusCode, 404);
    t.same(unknown.json(), {
      error: {
        message: unknown.json().error.message,
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
  });

  t.test('missing, bad and session credentials are 401 in OpenAI shape', async (t) => {
    for (const [what, res] of [
      ['no key', await models(app)],
      ['a wrong key', await models(app, 'pk-' + 'A'.repeat(43))],
      ['not a pk- key', await models(app, 'sk-something')],
      ['an access JWT', await models(app, alice.token)],
      ['a session cookie', await app.inject({ url: '/v1/models', cookies: { access_token: alice.token } })],
    ] as const) {
      t.equal(res.statusCode, 401, what);
      t.match(res.json(), INVALID_KEY, what);
    }
  });

  t.test('revoked, expired, disabled, api access off, deleted: 401 at once', async (t) => {
    const carol = await createUser(app, admin, 'carol');
    const patch = (payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `/api/admin/users/${carol.id}`, headers: bearer(admin), payload });

    const revoked = await newKey(app, carol.token);
    t.equal((await models(app, revoked.key)).statusCode, 200);
    await app.inject({ method: 'DELETE', url: `/api/keys/${revoked.id}`, headers: bearer(carol.token) });
    t.match(
      (await models(app, revoked.key)).json(),
      { error: { code: 'invalid_api_key', message: /revoked/ } },
      'revoked',
    );

    const expiring = await newKey(app, carol.token, { name: 'short', expiresInDays: 1 });
    t.equal((await models(app, expiring.key)).statusCode, 200);
    await app.db
      .updateTable('api_keys')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', expiring.id)
      .execute();
    const expired = await models(app, expiring.key);
    t.equal(expired.statusCode, 401);
    t.match(expired.json(), { error: { code: 'invalid_api_key', message: /expired/ } }, 'expired');

    const { key } = await newKey(app, carol.token);
    await patch({ apiAccess: false });
    t.match(
      (await models(app, key)).json(),
      { error: { code: 'invalid_api_key', message: /API access is turned off/ } },
      'api access off',
    );
    await patch({ apiAccess: true });
    t.equal((await models(app, key)).statusCode, 200, 'back on');
    await patch({ disabled: true });
    t.match(
      (await models(app, key)).json(),
      { error: { code: 'invalid_api_key', message: /disabled/ } },
      'user disabled',
    );
    await patch({ disabled: false });
    t.equal((await models(app, key)).statusCode, 200, 'enabled again');
    t.equal(
      (await app.inject({ method: 'DELETE', url: `/api/admin/users/${carol.id}`, headers: bearer(admin) })).statusCode,
      204,
    );
    const gone = await models(app, key);
    t.equal(gone.statusCode, 401, 'user deleted');
    t.match(gone.json(), INVALID_KEY);
  });

  t.test('a key records when it was used, in the owner list', async (t) => {
    const { id, key } = await newKey(app, alice.token, { name: 'used' });
    await models(app, key);
    const listed = (await app.inject({ url: '/api/keys', headers: bearer(alice.token) })).json().keys as Array<{
      id: string;
      lastUsedAt: string | null;
    }>;
    t.match(listed.find((k) => k.id === id)?.lastUsedAt, /^\d{4}-/);
  });

  t.test('unknown /v1 paths and methods answer in OpenAI shape', async (t) => {
    const { key } = await newKey(app, alice.token);
    for (const [method, url] of [
      ['GET', '/v1/nope'],
      ['POST', '/v1/models'],
      ['GET', '/v1'],
    ] as const) {
      const res = await app.inject({ method, url, headers: { ...bearer(key), accept: 'text/html' } });
      t.equal(res.statusCode, 404, `${method} ${url}`);
      t.match(res.json(), {
        error: { type: 'invalid_request_error', param: null, code: null, message: /Invalid URL/ },
      });
    }
  });
});

t.test('no model loaded: an empty list, never a 500', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const { key } = await newKey(app, admin);
  const res = await models(app, key);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { object: 'list', data: [] });
  t.equal((await app.inject({ url: '/v1/models/tiny-random-zephyr', headers: bearer(key) })).statusCode, 404);
});
