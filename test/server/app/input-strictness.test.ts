import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import t from 'tap';
import errorHandler from '../../../server/plugins/error-handler.js';
import { ChatClient } from '../../helpers/ws-client.js';
import { PASSWORD, bearer, buildTestApp, createUser, setupAdmin, tempDir } from '../../helpers/app.js';

type App = Awaited<ReturnType<typeof buildTestApp>>;

/** Sends a request as raw bytes, for what `inject` cannot send (bad %-encoding, huge headers). */
async function rawRequest(
  app: App,
  requestLine: string,
  headers = '',
): Promise<{ status: number; headers: string; body: string }> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  const text = await new Promise<string>((resolve, reject) => {
    let out = '';
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write(`${requestLine}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${headers}\r\n`),
    );
    socket.on('data', (chunk) => (out += chunk.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', (error) => (out ? resolve(out) : reject(error)));
  });
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body };
}

const isContractError = (body: string, code: string) => {
  const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
  return parsed.error?.code === code && typeof parsed.error.message === 'string' && Object.keys(parsed).length === 1;
};

t.test('bodies are not coerced: a number is not a username, null is not false', async (t) => {
  const app = await buildTestApp(t);
  const numeric = await app.inject({
    method: 'POST',
    url: '/api/auth/setup',
    payload: { username: 123, password: PASSWORD },
  });
  t.equal(numeric.statusCode, 400);
  t.match(numeric.json().error, { code: 'bad_request', message: /username/ });
  const admin = await setupAdmin(app);
  const bob = await createUser(app, admin, 'bob');
  const disable = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${bob.id}`,
    headers: bearer(admin),
    payload: { disabled: true },
  });
  t.equal(disable.statusCode, 200);
  const nulled = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${bob.id}`,
    headers: bearer(admin),
    payload: { disabled: null },
  });
  t.equal(nulled.statusCode, 400, '{"disabled": null} does not re-enable');
  const asText = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${bob.id}`,
    headers: bearer(admin),
    payload: { disabled: 'false' },
  });
  t.equal(asText.statusCode, 400);
  const list = await app.inject({ url: '/api/admin/users', headers: bearer(admin) });
  t.equal(list.json().users.find((u: { username: string }) => u.username === 'bob').disabled, true);
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: bearer(admin),
    payload: { username: 456, password: PASSWORD, role: 'user' },
  });
  t.equal(created.statusCode, 400);
  const page = await app.inject({ url: '/api/conversations?limit=5', headers: bearer(admin) });
  t.equal(page.statusCode, 200, 'querystrings are still converted from text');
});

t.test("Fastify's and Node's own refusals come in the contract's shape", async (t) => {
  const app = await buildTestApp(t);
  const badUrl = await rawRequest(app, 'GET /api/conversations/%E0%A4%A HTTP/1.1');
  t.equal(badUrl.status, 400);
  t.ok(isContractError(badUrl.body, 'bad_request'), badUrl.body);
  const longParam = await rawRequest(app, `GET /api/conversations/${'a'.repeat(10_000)} HTTP/1.1`);
  // Past the router's parameter bound no route matches: a 404 (or the router's 414), never a 403.
  t.ok([404, 414].includes(longParam.status), `status ${longParam.status}`);
  t.ok(
    isContractError(longParam.body, longParam.status === 404 ? 'not_found' : 'bad_request'),
    longParam.body.slice(0, 200),
  );
  t.ok(longParam.body.length < 200, 'the URL is not echoed back');
  const bigHeaders = await rawRequest(app, 'GET /healthz HTTP/1.1', `X-Big: ${'a'.repeat(20_000)}\r\n`);
  t.equal(bigHeaders.status, 431);
  t.ok(isContractError(bigHeaders.body, 'bad_request'), bigHeaders.body);
  const longUrl = await rawRequest(app, `GET /api/${'a'.repeat(20_000)} HTTP/1.1`);
  t.equal(longUrl.status, 431);
  t.ok(isContractError(longUrl.body, 'bad_request'), longUrl.body);
});

t.test('a 5,000-character id is a 400 from its route, or a 404, never 403', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const id = 'a'.repeat(5000);
  for (const url of [`/api/conversations/${id}`, `/api/admin/users/${id}`]) {
    const res = await app.inject({ method: url.includes('admin') ? 'DELETE' : 'GET', url, headers: bearer(admin) });
    t.equal(res.statusCode, 400, url.slice(0, 25));
    t.equal(res.json().error.code, 'bad_request');
  }
  // The built web app's static files: a name too long for the file system is not there.
  const root = tempDir(t);
  fs.writeFileSync(path.join(root, 'index.html'), '<html></html>');
  const files = Fastify();
  await files.register(errorHandler);
  await files.register(fastifyStatic, { root, prefix: '/', wildcard: true });
  t.teardown(() => files.close());
  const res = await files.inject({ url: `/${id}` });
  t.equal(res.statusCode, 404);
  t.equal(res.json().error.code, 'not_found');
});

t.test('API answers carry Cache-Control: no-store', async (t) => {
  const app = await buildTestApp(t);
  for (const url of ['/api/auth/setup', '/healthz', '/readyz', '/api/nope', '/api/auth/me']) {
    t.equal((await app.inject({ url })).headers['cache-control'], 'no-store', url);
  }
  const refused = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 1 } });
  t.equal(refused.headers['cache-control'], 'no-store', 'errors too');
});

t.test('model_unavailable shows no server paths to anonymous probes or non-admins; admins see all', async (t) => {
  const hidden = tempDir(t, 'pocketllm-secret-place-');
  const app = await buildTestApp(t, { modelPath: path.join(hidden, 'missing.gguf'), modelsDir: hidden });
  const admin = await setupAdmin(app);
  const bob = await createUser(app, admin, 'bob');
  await app.engine.ready();
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.notMatch(ready.body, hidden);
  t.match(ready.json().checks.model.message, /missing\.gguf/);
  t.match(ready.json().checks.model.message, /MODEL_PATH=\/path\/to\/model\.gguf/, 'the example of what to type stays');
  const metrics = await app.inject({ url: '/api/admin/metrics', headers: bearer(admin) });
  t.match(metrics.json().model.hint, hidden, 'the admin page keeps the full hint');

  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  const ask = async (token: string) => {
    const client = await ChatClient.connect(`ws://127.0.0.1:${port}/api/chat/ws`, { token });
    t.teardown(() => client.close());
    client.send({ type: 'chat', id: 'r1', content: 'hello' });
    return client.waitFor((f) => f.type === 'error' && f.id === 'r1');
  };
  const forUser = await ask(bob.token);
  t.equal(forUser.code, 'model_unavailable');
  t.notMatch(String(forUser.message), hidden);
  t.match(String(forUser.message), /missing\.gguf/);
  const forAdmin = await ask(admin);
  t.match(String(forAdmin.message), hidden);
});
