import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';

export interface StaticOptions {
  /**
   * The built SPA (Vite's outDir, holding index.html and assets/).
   * Defaults to <repo>/dist/web, found from this file whether it runs from source
   * (server/plugins, with tsx) or compiled (dist/server/plugins).
   */
  root?: string;
}

/** Paths that belong to the API and operations: they never get the SPA's index.html. */
const SERVER_PREFIXES = ['/api', '/healthz', '/readyz', '/metrics'];

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PocketLLM: web app not built</title></head>
<body><h1>The web app is not built yet</h1>
<p>The API is running, but there is no browser app to serve. Run <code>npm run build:web</code>, then restart the server.</p>
</body></html>
`;

/** <repo>/dist/web, from server/plugins or dist/server/plugins. */
export function defaultWebRoot(dir = path.dirname(fileURLToPath(import.meta.url))): string {
  const compiled = path.basename(path.resolve(dir, '../..')) === 'dist';
  return path.resolve(dir, compiled ? '../../..' : '../..', 'dist/web');
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** A browser navigating to a client-side route (/c/123, /history): it wants the app. */
export function wantsApp(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (!(request.headers.accept ?? '').includes('text/html')) return false;
  const p = pathOf(request.url);
  return !SERVER_PREFIXES.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));
}

function notFound(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${pathOf(request.url)}.`));
}

/**
 * Serves the built SPA: hashed files under /assets/ are cached for a year, everything else
 * (index.html above all) is revalidated so a new build shows up at once. Unknown paths a
 * browser navigates to get index.html (client-side routes); the rest get the contract's 404.
 */
export default fp<StaticOptions>(
  async (app, opts) => {
    const root = path.resolve(opts.root ?? defaultWebRoot());
    const built = fs.existsSync(path.join(root, 'index.html'));

    if (!built) {
      app.log.warn({ root }, 'the web app is not built: run `npm run build:web` to serve it');
      app.setNotFoundHandler(async (request, reply) => {
        if (!wantsApp(request)) return notFound(request, reply);
        return reply
          .code(503)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(NOT_BUILT_PAGE);
      });
      return;
    }

    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: true,
      index: ['index.html'],
      cacheControl: false,
      setHeaders(reply, filePath) {
        const inAssets = path.relative(root, filePath).split(path.sep)[0] === 'assets';
        reply.header('cache-control', inAssets ? IMMUTABLE : REVALIDATE);
      },
    });

    app.setNotFoundHandler(async (request, reply) => {
      if (!wantsApp(request)) return notFound(request, reply);
      return reply.code(200).header('cache-control', REVALIDATE).sendFile('index.html');
    });
  },
  { name: 'static', fastify: '5.x' },
);
