import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

const isLoopback = (address: string) =>
  address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');

function tokenMatches(request: FastifyRequest, expected: string | undefined): boolean {
  const header = request.headers.authorization;
  if (!expected || !header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** /metrics for Prometheus: open to loopback scrapers, elsewhere only with METRICS_TOKEN. */
const prometheusRoute: FastifyPluginAsync = async (app) => {
  const config: Config = app.config;
  app.get('/metrics', async (request, reply) => {
    if (!isLoopback(request.socket.remoteAddress ?? '') && !tokenMatches(request, config.metricsToken)) {
      throw config.metricsToken
        ? new AppError(401, 'unauthenticated', 'Send METRICS_TOKEN as a Bearer token.')
        : new AppError(
            403,
            'forbidden',
            '/metrics is open to loopback only; set METRICS_TOKEN to scrape it from elsewhere.',
          );
    }
    reply.header('content-type', app.metrics.prometheus.contentType);
    return app.metrics.prometheus.render();
  });
};

export default prometheusRoute;
