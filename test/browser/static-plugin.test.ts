import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import t from 'tap';

interface Teardown {
  teardown(fn: () => unknown): void;
}
import staticPlugin, { defaultWebRoot } from '../../server/plugins/static.js';

const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

async function appWith(t: Teardown, root: string) {
  const app = Fastify({ logger: false });
  app.get('/api/ping', async () => ({ pong: true }));
  await app.register(staticPlugin, { root });
  t.teardown(() => app.close());
  return app;
}

function builtSpa(t: Teardown): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketllm-static-'));
  t.teardown(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>spa</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-AbC123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg/>');
  return root;
}

t.test('serves the SPA with the right cache headers', async (t) => {
  const app = await appWith(t, builtSpa(t));
  const index = await app.inject({ url: '/', headers: HTML });
  t.equal(index.statusCode, 200);
  t.match(index.body, '<title>spa</title>');
  t.equal(index.headers['cache-control'], 'no-cache', 'index.html is revalidated');
  const asset = await app.inject({ url: '/assets/index-AbC123.js' });
  t.equal(asset.statusCode, 200);
  t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  const icon = await app.inject({ url: '/favicon.svg' });
  t.equal(icon.headers['cache-control'], 'no-cache', 'unhashed files are revalidated');
});

t.test('client routes get index.html; API paths and non-HTML requests get the 404 JSON', async (t) => {
  const app = await appWith(t, builtSpa(t));
  for (const url of ['/c/123', '/history?q=x', '/admin', '/login?next=%2Fadmin']) {
    const res = await app.inject({ url, headers: HTML });
    t.equal(res.statusCode, 200, url);
    t.match(res.body, '<title>spa</title>', url);
    t.equal(res.headers['cache-control'], 'no-cache', url);
  }
  const cases: Array<[string, string, Record<string, string>]> = [
    ['GET', '/api/nothing', HTML],
    ['GET', '/api', HTML],
    ['GET', '/healthz/extra', HTML],
    ['GET', '/readyz/x', HTML],
    ['GET', '/metrics/x', HTML],
    ['GET', '/c/123', { accept: 'application/json' }],
    ['POST', '/c/123', HTML],
    ['GET', '/assets/gone-123.js', { accept: '*/*' }],
  ];
  for (const [method, url, headers] of cases) {
    const res = await app.inject({ method: method as 'GET', url, headers });
    t.equal(res.statusCode, 404, `${method} ${url}`);
    t.same(res.json(), { error: { code: 'not_found', message: `No route for ${method} ${url}.` } });
  }
  t.same((await app.inject({ url: '/api/ping' })).json(), { pong: true }, 'real routes still win');
});

t.test('without a build it says how to make one, and the API 404 stays JSON', async (t) => {
  const app = await appWith(t, path.join(os.tmpdir(), 'pocketllm-no-such-build'));
  const page = await app.inject({ url: '/history', headers: HTML });
  t.equal(page.statusCode, 503);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.body, 'npm run build:web');
  const api = await app.inject({ url: '/api/nothing', headers: HTML });
  t.equal(api.statusCode, 404);
  t.equal(api.json().error.code, 'not_found');
});

t.test('the default root is <repo>/dist/web from source and from the compiled output', async (t) => {
  const repo = path.resolve(import.meta.dirname, '../..');
  t.equal(defaultWebRoot(path.join(repo, 'server/plugins')), path.join(repo, 'dist/web'));
  t.equal(defaultWebRoot(path.join(repo, 'dist/server/plugins')), path.join(repo, 'dist/web'));
  t.equal(defaultWebRoot(), path.join(repo, 'dist/web'));
});
