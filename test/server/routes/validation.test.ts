import t from 'tap';
import type { InjectOptions } from 'fastify';
import { bearer, buildTestApp, setupAdmin } from '../../helpers/app.js';

t.test('bad input gets 400/404/413/415 in the contract shape, never a 500', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const cases = [
    {
      name: 'malformed JSON',
      req: {
        method: 'POST',
        url: '/api/auth/login',
        payload: '{"username":',
        headers: { 'content-type': 'application/json' },
      },
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'missing field',
      req: { method: 'POST', url: '/api/auth/login', payload: { username: 'admin' } },
      status: 400,
      code: 'bad_request',
      message: /password/,
    },
    {
      name: 'unknown field',
      req: {
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: 'x'.repeat(8), admin: true },
      },
      status: 400,
      code: 'bad_request',
      message: /Unknown field "admin"/,
    },
    {
      name: 'wrong type',
      req: { method: 'POST', url: '/api/auth/setup', payload: { username: 42, password: 'x'.repeat(8) } },
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'short password',
      req: { method: 'POST', url: '/api/auth/setup', payload: { username: 'abc', password: 'short' } },
      status: 400,
      code: 'bad_request',
      message: /password/,
    },
    {
      name: 'bad username',
      req: { method: 'POST', url: '/api/auth/setup', payload: { username: 'a b<script>', password: 'long-enough' } },
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'oversized body',
      req: {
        method: 'POST',
        url: '/api/auth/login',
        payload: JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) }),
        headers: { 'content-type': 'application/json' },
      },
      status: 413,
      code: 'payload_too_large',
    },
    {
      name: 'not JSON',
      req: {
        method: 'POST',
        url: '/api/auth/login',
        payload: 'username=admin',
        headers: { 'content-type': 'text/plain' },
      },
      status: 415,
      code: 'unsupported_media_type',
    },
    { name: 'unknown route', req: { method: 'GET', url: '/api/nothing-here' }, status: 404, code: 'not_found' },
    {
      name: 'bad query',
      req: { method: 'GET', url: '/api/admin/audit?limit=100000', headers: bearer(admin) },
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'unknown query field',
      req: { method: 'GET', url: '/api/admin/audit?sort=asc', headers: bearer(admin) },
      status: 400,
      code: 'bad_request',
    },
    {
      name: 'empty patch',
      req: { method: 'PATCH', url: '/api/admin/users/x', payload: {}, headers: bearer(admin) },
      status: 400,
      code: 'bad_request',
    },
  ] as const;
  for (const c of cases) {
    const res = await app.inject(c.req as InjectOptions);
    t.equal(res.statusCode, c.status, `${c.name}: status`);
    const body = res.json();
    t.equal(body.error?.code, c.code, `${c.name}: code`);
    t.type(body.error?.message, 'string', `${c.name}: message`);
    if ('message' in c) t.match(body.error.message, c.message, `${c.name}: message names the problem`);
    t.notMatch(res.body, /at .*\.(ts|js):\d+/, `${c.name}: no stack trace`);
  }
});

t.test('health, readiness, request ids and security headers', async (t) => {
  const app = await buildTestApp(t);
  const health = await app.inject('/healthz');
  t.same(health.json(), { status: 'ok' });
  t.match(health.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  t.match(health.headers['content-security-policy'], /default-src 'self'/);
  t.match(health.headers['content-security-policy'], /script-src 'self'/);
  t.equal(health.headers['x-content-type-options'], 'nosniff');
  const ready = await app.inject('/readyz');
  t.match(ready.json(), { checks: { database: { ok: true } } });
});
